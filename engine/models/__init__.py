"""The persistent model: organisation, users, procedures, dossiers, workflow state, tasks, events, incidents."""
from engine.ground.db import Base
from engine.models.applicant import (
    ApplicantAccount,
    ApplicantDossier,
    ApplicantNoticeMark,
    DossierRating,
    Feedback,
    OnlineDraft,
    StagedUpload,
)
from engine.models.clock import CalendarDay, OutboxMessage, Timer
from engine.models.document import DeskStagedUpload, Document
from engine.models.dossier import (
    Dossier,
    DossierGroup,
    DossierSequence,
    Event,
    HumanTask,
    HumanTaskCandidate,
    WorkflowState,
)
from engine.models.handover import HandoverBatch, HandoverItem
from engine.models.incident import Incident
from engine.models.integration import IntegrationRef
from engine.models.org import RateLimitHit, RoleGrant, Unit, User
from engine.models.payment import Payment
from engine.models.postal import PostalEvent, PostalShipment
from engine.models.procedure import Procedure, ProcedureUnit, ProcedureVersion
from engine.models.result import IssuedResult, ResultRegister
from engine.models.studio import ProcedureDraft

__all__ = [
    "Base", "Unit", "User", "RoleGrant", "RateLimitHit", "Procedure", "ProcedureVersion", "ProcedureUnit",
    "Dossier", "DossierGroup", "DossierSequence", "Document", "DeskStagedUpload", "WorkflowState", "HumanTask",
    "HumanTaskCandidate", "Event",
    "CalendarDay", "Timer", "OutboxMessage", "ApplicantAccount", "ApplicantDossier", "ApplicantNoticeMark", "DossierRating",
    "Feedback", "StagedUpload", "OnlineDraft",
    "ProcedureDraft", "IntegrationRef",
    "PostalShipment", "PostalEvent", "Payment", "HandoverBatch", "HandoverItem", "ResultRegister", "IssuedResult",
    "Incident",
]
