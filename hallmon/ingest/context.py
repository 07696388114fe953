"""What parsing may know about the database, loaded beforehand: the roster and the contracts."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class StaffInfo:
    staff_id: str
    contract: str
    hired_on: dt.date
    left_on: dt.date | None


@dataclass(frozen=True)
class ContractInfo:
    code: str
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class RosterView:
    staff: Mapping[str, StaffInfo] = field(default_factory=dict)
    contracts: Mapping[str, ContractInfo] = field(default_factory=dict)
    # the assessment catalogue stored in the database (code → name); None when it has none
    assessment_items: Mapping[str, str] | None = None

    @property
    def staff_ids(self) -> frozenset[str]:
        return frozenset(self.staff)

    @property
    def contract_codes(self) -> frozenset[str]:
        return frozenset(self.contracts)
