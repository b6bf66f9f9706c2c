"""Printing: the standard forms of a dossier and a unit, filled from the database.

- forms: forms 01 to 06 of a dossier.
- handover: the printed handover list of a batch and its rows on the control slip.
- tracking_book: form 07, the unit's book of received dossiers.
- unit_documents: what a unit prints at the top and bottom of its forms.
- results: the result document (giấy tờ kết quả): its draft, what it is filled from, what was issued.
- issuance: an approved result numbered, then rendered, signed and stored by a job or on demand.
- result_register: the unit's result register (sổ cấp), numbers per procedure and year without gaps.
- verification: /xac-thuc, a file or a code and hash checked against what was issued.
"""
