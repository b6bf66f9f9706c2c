"""Form definitions in bpmn.io form-js format, validated on the server.

Load a ``*.form`` file with :func:`load_form` (or :func:`parse_form` for text or
a dict), then check submitted data with :meth:`FormDefinition.validate`, which
returns the cleaned data or raises :class:`FormValidationError` with one
Vietnamese message per bad field. Only the standard library and ``jsonschema``
are used.
"""

from .errors import FormError, FormValidationError
from .feel import Expression, FeelError, compile_expression
from .formjs import FormDefinition, load_form, parse_form
from .model import FormField

__all__ = [
    "Expression",
    "FeelError",
    "FormDefinition",
    "FormError",
    "FormField",
    "FormValidationError",
    "compile_expression",
    "load_form",
    "parse_form",
]
