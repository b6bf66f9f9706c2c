"""Reading, checking and executing BPMN diagrams in our Camunda 7 vocabulary.

The only package that subclasses SpiffWorkflow classes.
"""
