"""A contract's terms (rules §1): `terms` holds the frozen dataclasses and their defaults, `load` reads TOML."""
from hallmon.contract.load import (
    TermsError,
    load_terms_text,
    terms_from_document,
    terms_from_mapping,
)
from hallmon.contract.terms import (
    AssessmentTerms,
    AttendanceTerms,
    BillingTerms,
    CalendarTerms,
    CaseloadTerms,
    ComplaintTerms,
    ContractTerms,
    Schedule,
    Session,
)

__all__ = [
    "AssessmentTerms", "AttendanceTerms", "BillingTerms", "CalendarTerms", "CaseloadTerms", "ComplaintTerms",
    "ContractTerms", "Schedule", "Session", "TermsError", "load_terms_text", "terms_from_document",
    "terms_from_mapping",
]
