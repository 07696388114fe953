"""A realistic demo hall modelled on the Datong report: one contract, 255 staff, 8 departments, 81 windows, a year of data."""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from hallmon.auth.services import add_user
from hallmon.core.clock import today
from hallmon.demo import assessment, attendance, billing, caseload, complaints, hall
from hallmon.notify.outbox import refresh_alerts

DEMO_CONTRACT = hall.CONTRACT_CODE


@dataclass
class DemoResult:
    contract: str
    files: list[Path] = field(default_factory=list)
    users: dict[str, tuple[str, str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def build_demo(session: Session, workdir: Path, seed: int = 2024, passwords: dict[str, str] | None = None,
               progress=None) -> DemoResult:
    """Write the demo hall's source files into workdir and load them through the same services as users do."""
    workdir.mkdir(parents=True, exist_ok=True)
    result = DemoResult(DEMO_CONTRACT)
    passwords = passwords or {}
    # users first: the billing step walks settlements through the gate as these people
    for role, username in (("admin", "admin"), ("manager", "manager"), ("finance", "finance"),
                           ("finance2", "finance2"), ("contractor", "contractor")):
        password = passwords.get(role) or secrets.token_urlsafe(9)
        add_user(session, username, "finance" if role == "finance2" else role, password,
                 hall.CONTRACTOR if role == "contractor" else None)
        result.users[role] = (username, password)
    for step in steps():
        if progress:
            progress(step.__doc__.strip().splitlines()[0] if step.__doc__ else step.__name__)
        step(session, workdir, seed, result)
    if progress:
        progress("今日提醒")
    refresh = refresh_alerts(session, today())
    result.notes.append(f"提醒：截至今天共 {refresh.raised} 条（hallmon alerts 查看；--as-of 2024-03-27 看当时的提醒）")
    return result


def steps():
    """The demo builders in order."""
    return [hall.build, attendance.build, assessment.build, complaints.build, caseload.build, billing.build]
