"""Notifications: users' e-mail addresses and subscriptions, the outbox, acknowledged alerts, replacement notices

Users get an e-mail address and, once they choose, their own subscriptions (per alert kind and contract; until
then their role's defaults apply); group robots are subscribed by name. The outbox holds what was announced
(announcement) and one message per recipient with its delivery state (message); notify_start records when a
contract's notifications started. An alert records who
acknowledged it, when and why. A replacement notice (更换人员通知书) records its serving and the contractor's
acknowledgement. Nothing existing is announced: notifications start with the next alert raised.

Revision ID: 0010
Revises: 0007
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | Sequence[str] | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('announcement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('occasion', sa.Date(), nullable=False),
    sa.Column('contract', sa.String(length=64), nullable=False),
    sa.Column('alert_id', sa.Integer(), nullable=True),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('sent_to', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['alert_id'], ['alert.id'], name=op.f('fk_announcement_alert_id_alert'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_announcement')),
    sa.UniqueConstraint('kind', 'subject', 'occasion', name=op.f('uq_announcement_kind_subject_occasion'))
    )
    with op.batch_alter_table('announcement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_announcement_alert_id'), ['alert_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_announcement_contract'), ['contract'], unique=False)

    op.create_table('notify_start',
    sa.Column('contract', sa.String(length=64), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('contract', name=op.f('pk_notify_start'))
    )
    op.create_table('replacement_notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.String(length=64), nullable=False),
    sa.Column('reason', sa.String(length=30), nullable=False),
    sa.Column('raised_on', sa.Date(), nullable=False),
    sa.Column('served_on', sa.Date(), nullable=False),
    sa.Column('served_how', sa.String(length=20), nullable=False),
    sa.Column('served_note', sa.Text(), nullable=True),
    sa.Column('served_by', sa.String(length=100), nullable=False),
    sa.Column('served_recorded_at', sa.DateTime(), nullable=False),
    sa.Column('acknowledged_by', sa.String(length=100), nullable=True),
    sa.Column('acknowledged_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], name=op.f('fk_replacement_notice_contract_id_contract'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_replacement_notice')),
    sa.UniqueConstraint('contract_id', 'staff_id', 'reason', 'raised_on', name=op.f('uq_replacement_notice_contract_id_staff_id_reason_raised_on'))
    )
    op.create_table('subscription',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('robot', sa.String(length=100), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('contract', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_subscription_user_id_app_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subscription'))
    )
    with op.batch_alter_table('subscription', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subscription_robot'), ['robot'], unique=False)
        batch_op.create_index(batch_op.f('ix_subscription_user_id'), ['user_id'], unique=False)

    op.create_table('message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=400), nullable=False),
    sa.Column('announcement_id', sa.Integer(), nullable=True),
    sa.Column('digest_on', sa.Date(), nullable=True),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('recipient', sa.String(length=254), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
    sa.Column('claimed_at', sa.DateTime(), nullable=True),
    sa.Column('claimed_by', sa.String(length=100), nullable=True),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('resolved_by', sa.String(length=100), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['announcement_id'], ['announcement.id'], name=op.f('fk_message_announcement_id_announcement'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_message_user_id_app_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message')),
    sa.UniqueConstraint('key', name=op.f('uq_message_key'))
    )
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_message_announcement_id'), ['announcement_id'], unique=False)
        batch_op.create_index('ix_message_status_due', ['status', 'next_attempt_at'], unique=False)

    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.add_column(sa.Column('acknowledged_by', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('acknowledged_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('acknowledged_note', sa.Text(), nullable=True))

    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('notify_custom', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_column('notify_custom')
        batch_op.drop_column('email')

    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.drop_column('acknowledged_note')
        batch_op.drop_column('acknowledged_at')
        batch_op.drop_column('acknowledged_by')

    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_index('ix_message_status_due')
        batch_op.drop_index(batch_op.f('ix_message_announcement_id'))

    op.drop_table('message')
    with op.batch_alter_table('subscription', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_subscription_user_id'))
        batch_op.drop_index(batch_op.f('ix_subscription_robot'))

    op.drop_table('subscription')
    op.drop_table('replacement_notice')
    op.drop_table('notify_start')
    with op.batch_alter_table('announcement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_announcement_contract'))
        batch_op.drop_index(batch_op.f('ix_announcement_alert_id'))

    op.drop_table('announcement')
