"""Add jobs for the worker

Revision ID: e12db87a44cc
Revises: 8e27ef790845
Create Date: 2026-12-07 12:48:40.122069
"""
from alembic import op
import sqlalchemy as sa

import conference.core.types

revision = 'e12db87a44cc'
down_revision = '8e27ef790845'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('periodic', sa.Boolean(), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('state', sa.Enum('queued', 'running', 'done', 'failed', name='jobstate', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('due_at', conference.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('claimed_until', conference.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', conference.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', conference.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job'))
    )
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.create_index('ix_job_due', ['state', 'due_at'], unique=False)
        batch_op.create_index('uq_job_periodic_name', ['name'], unique=True, sqlite_where=sa.text('periodic'), postgresql_where=sa.text('periodic'))



def downgrade():
    # the older code runs no jobs: refuse rather than drop work that is still to be done
    waiting = op.get_bind().exec_driver_sql(
        "SELECT count(*) FROM job WHERE NOT periodic AND state IN ('queued', 'running')").scalar()
    if waiting:
        raise RuntimeError(f"{waiting} jobs are still to run: let the worker run them (flask worker --once) "
                           "before going below this revision")
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.drop_index('uq_job_periodic_name', sqlite_where=sa.text('periodic'), postgresql_where=sa.text('periodic'))
        batch_op.drop_index('ix_job_due')

    op.drop_table('job')
