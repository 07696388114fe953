"""assessment catalogue

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-22 06:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import hallmon.db

revision: str = '0004'
down_revision: str | Sequence[str] | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('assessment_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=50), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('points', hallmon.db.DecimalType(12, 4), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('source_name', sa.String(length=500), nullable=True),
    sa.Column('loaded_by', sa.String(length=100), nullable=True),
    sa.Column('loaded_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_item')),
    sa.UniqueConstraint('code', name=op.f('uq_assessment_item_code'))
    )


def downgrade() -> None:
    op.drop_table('assessment_item')
