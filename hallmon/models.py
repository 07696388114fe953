"""Every model, imported once so that the metadata (and Alembic) sees the whole schema."""
from hallmon.alerts.models import Alert, AlertEvaluation, JobRun, SchedulerJob
from hallmon.assessment.models import AssessmentRow, Notice
from hallmon.attendance.models import (
    AttendanceMonth,
    DemandMonth,
    DemandWaiver,
    Leave,
    Makeup,
    MonthSummary,
    Punch,
    StoredDemand,
)
from hallmon.auth.models import LoginAttempt, Subscription, User
from hallmon.billing.models import ArchiveEntry, Objection, Settlement, SettlementEvent
from hallmon.caseload.models import CaseloadRow
from hallmon.complaints.models import Complaint
from hallmon.db import Base
from hallmon.evaluation.models import DeviationNote
from hallmon.ingest.models import IngestLog
from hallmon.notify.models import Announcement, Message, NotifyStart, ReplacementNotice
from hallmon.roster.models import Contract, ContractVersion, Department, Staff, Window

__all__ = [
    "Base", "Contract", "ContractVersion", "Department", "Window", "Staff", "User", "LoginAttempt",
    "Punch", "Leave", "Makeup", "MonthSummary", "AttendanceMonth", "StoredDemand", "DemandMonth", "DemandWaiver",
    "AssessmentRow", "Notice", "Complaint", "CaseloadRow", "IngestLog",
    "Settlement", "SettlementEvent", "Objection", "ArchiveEntry", "Alert", "AlertEvaluation", "JobRun", "SchedulerJob",
    "DeviationNote", "Subscription", "Announcement", "Message", "NotifyStart",
    "ReplacementNotice",
]
