"""Counter dossiers in "Hồ sơ của tôi": a dossier received at the desk joins the citizen's account.

A dossier the desk received (no online account behind it) belongs to an account when the ID number
on the dossier is the account's and either the account's identity was verified by VNeID (provider
"vneid": the ID number is the state's) or the dossier's email is the account's (a local account's
ID number is only what its owner typed, so the email the desk wrote down must agree). The link is
made when the account next opens its dossiers; each link is an event. A dossier already linked to an
account (an online submission) is never moved.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine.applicants.identity import normalise_email
from engine.ground import events
from engine.models import ApplicantAccount, ApplicantDossier, Dossier

VERIFIED_PROVIDERS = ("vneid",)


def _matches(account: ApplicantAccount, dossier: Dossier) -> str | None:
    """How the dossier is the account's ("vneid" or "email"), or None."""
    if account.provider in VERIFIED_PROVIDERS:
        return account.provider
    email = str((dossier.applicant or {}).get("email") or "").strip()
    if email and account.email and normalise_email(email) == normalise_email(account.email):
        return "email"
    return None


def unlinked(session: Session, account: ApplicantAccount) -> list[tuple[Dossier, str]]:
    """The dossiers of the account's ID number with no account yet that are the account's, and why."""
    id_number = (account.id_number or "").strip()
    if not id_number or not account.active:
        return []
    linked = exists().where(ApplicantDossier.dossier_id == Dossier.id)
    found = []
    for dossier in session.scalars(select(Dossier).where(Dossier.applicant_id_number == id_number, ~linked)
                                   .order_by(Dossier.id)):
        how = _matches(account, dossier)
        if how:
            found.append((dossier, how))
    return found


def link_counter_dossiers(session: Session, account: ApplicantAccount, now: datetime) -> list[Dossier]:
    """Link the account's counter dossiers to it (engine.applicants.own_dossiers then shows them)."""
    linked = []
    for dossier, how in unlinked(session, account):
        try:
            with session.begin_nested():
                session.add(ApplicantDossier(dossier_id=dossier.id, account_id=account.id))
                session.flush()
        except IntegrityError:  # another request linked it first
            continue
        events.record(session, "dossier.linked_to_account", now, dossier=dossier, account_id=account.id, by=how)
        linked.append(dossier)
    return linked
