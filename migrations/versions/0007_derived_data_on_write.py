"""Derived data kept by the writes: stored demands, the date alerts stand as of; no summary state

Month summaries are no longer computed on first read: every write that changes a month's inputs recomputes
it, so the table that marked a month as current (summary_state) goes. A contract's A8 demands with their A9
facts are stored (demand, and demand_month: each contract month holding a punch after a demand's deadline, which
billing reads by month), a month's A6 totals beside its rows (attendance_month), and the date the stored alerts were judged as of (alert_evaluation), so that a
write re-judges its contracts' alerts as of the same date. `hallmon init` recomputes every contract's derived
data after migrating an existing database.

Revision ID: 0007
Revises: 0006
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# the A6 fields of a month's totals (no_signin_month: how many staff), as hallmon.attendance.rules names them
SUMMARY_FIELDS = (
    "scheduled_days", "scheduled_minutes", "excused_minutes", "late_count", "serious_late_count", "late_minutes",
    "early_count", "early_minutes", "missing_punch_count", "absent_sessions", "absent_minutes", "chargeable_minutes",
    "makeup_used", "makeup_rejected", "punch_count", "no_signin_month", "late_early_events",
)


def upgrade() -> None:
    op.drop_table("summary_state")
    op.create_table(
        "demand",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.String(length=30), nullable=False),
        sa.Column("raised_on", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("first_late_punch", sa.Date(), nullable=True),
        sa.Column("waived", sa.Boolean(), nullable=False),
        sa.Column("unenforced", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["contract_id"], ["contract.id"], name=op.f("fk_demand_contract_id_contract"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_demand")),
        sa.UniqueConstraint("contract_id", "staff_id", "reason", "raised_on",
                            name=op.f("uq_demand_contract_id_staff_id_reason_raised_on")),
    )
    with op.batch_alter_table("demand", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_demand_contract_id"), ["contract_id"], unique=False)
        batch_op.create_index("ix_demand_contract_unenforced_raised", ["contract_id", "unenforced", "raised_on"],
                              unique=False)
    op.create_table(
        "demand_month",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("demand_id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.String(length=64), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("waived", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["contract_id"], ["contract.id"], name=op.f("fk_demand_month_contract_id_contract"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["demand_id"], ["demand.id"], name=op.f("fk_demand_month_demand_id_demand"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_demand_month")),
    )
    with op.batch_alter_table("demand_month", schema=None) as batch_op:
        batch_op.create_index("ix_demand_month_contract_month", ["contract_id", "month"], unique=False)
        batch_op.create_index(batch_op.f("ix_demand_month_demand_id"), ["demand_id"], unique=False)
    op.create_table(
        "attendance_month",
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("listed", sa.Integer(), nullable=False),
        sa.Column("flagged", sa.Integer(), nullable=False),
        *[sa.Column(name, sa.Integer(), nullable=False) for name in SUMMARY_FIELDS],
        sa.ForeignKeyConstraint(["contract_id"], ["contract.id"],
                                name=op.f("fk_attendance_month_contract_id_contract"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("contract_id", "month", name=op.f("pk_attendance_month")),
    )
    op.create_table(
        "alert_evaluation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_evaluation")),
    )


def downgrade() -> None:
    op.drop_table("alert_evaluation")
    op.drop_table("attendance_month")
    op.drop_table("demand_month")
    with op.batch_alter_table("demand", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_demand_contract_id"))
    op.drop_table("demand")
    op.create_table(
        "summary_state",
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.Column("warnings", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["contract_id"], ["contract.id"], name=op.f("fk_summary_state_contract_id_contract"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("contract_id", "month", name=op.f("pk_summary_state")),
    )
