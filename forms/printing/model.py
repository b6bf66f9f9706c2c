"""The plain data the standard forms are filled from: no database, no web, just values.

The engine reads a dossier and its events and hands these over; `forms.printing.contexts`
turns them into what the templates print.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class Agency:
    """Cơ quan ban hành: the issuing agency as an admin set it for a unit."""

    name: str
    parent: str = ""
    desk: str = "Bộ phận Một cửa"
    address: str = ""
    phone: str = ""
    place: str = ""
    signatory_title: str = "THỦ TRƯỞNG CƠ QUAN"
    signatory_name: str = ""


@dataclass(frozen=True)
class Applicant:
    """Người nộp hồ sơ: the applicant as the desk recorded them."""

    name: str
    id_number: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    authorised_person: str = ""


@dataclass(frozen=True)
class DossierFacts:
    """What every dossier form states about the dossier itself."""

    code: str
    procedure_code: str
    procedure_name: str
    applicant: Applicant
    received_at: datetime | None = None
    due_at: datetime | None = None
    time_limit: str = ""
    postmarked_at: datetime | None = None  # dấu bưu điện of a postal dossier: its clock counts from it


@dataclass(frozen=True)
class DocumentRow:
    """A document received at the desk: its name, originals and copies."""

    name: str
    originals: int = 0
    copies: int = 0


@dataclass(frozen=True)
class HandOff:
    """One row of the control slip (form 06): a step, who handed over to whom, when, and how it went."""

    step: str
    unit: str
    received_at: datetime | None
    handed_over_at: datetime | None
    handed_by: str = ""
    received_by: str = ""
    due_at: datetime | None = None
    result: str = ""
    note: str = ""


@dataclass(frozen=True)
class BookRow:
    """One dossier in the tracking book (form 07)."""

    serial: int
    code: str
    procedure: str
    applicant: str
    address: str
    phone: str
    lead_unit: str
    received_at: datetime | None
    due_at: datetime | None  # as issued on form 01 at receipt
    returned_at: datetime | None = None  # the hand-over to the applicant
    return_method: str = ""
    receiver: str = ""
    note: str = ""
    extended_due_at: datetime | None = None  # the due time after an extension (form 04) or a pause, if it moved
    completed_at: datetime | None = None  # the processing end (NgayKetThucXuLy: approval or refusal)


@dataclass(frozen=True)
class BookPeriod:
    """The unit and dates a tracking book covers."""

    unit: str
    start: date
    end: date
    rows: list[BookRow] = field(default_factory=list)
