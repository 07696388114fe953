"""Indexes for the month queries as years of data accumulate (issue 9)

A contract's complaints received in a window (complaint: contract_id, received_on) and a contract's assessment rows
of a year's months (assessment_row: contract_id, month): before, PostgreSQL took every row of the contract through
the contract_id index and filtered the dates. The other month queries already had theirs (0001, 0002): punches,
make-ups and leave of a month through (staff_id, time|start) per staff member of the contract or punch.time,
month summaries through (contract_id, month, staff_id), settlements through (contract_id, period).
tests/integration/test_query_plans.py shows each one on PostgreSQL.

Revision ID: 0006
Revises: 0005
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("complaint", schema=None) as batch_op:
        batch_op.create_index("ix_complaint_contract_received", ["contract_id", "received_on"], unique=False)
    with op.batch_alter_table("assessment_row", schema=None) as batch_op:
        batch_op.create_index("ix_assessment_row_contract_month", ["contract_id", "month"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("assessment_row", schema=None) as batch_op:
        batch_op.drop_index("ix_assessment_row_contract_month")
    with op.batch_alter_table("complaint", schema=None) as batch_op:
        batch_op.drop_index("ix_complaint_contract_received")
