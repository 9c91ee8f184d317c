"""Record when each invitation's mail was queued

The mail of an uploaded file's invitations is written by the worker, after the request that stored
them: invitation.mailed_at (and series_invitee.mailed_at, with the invitee's batch) says whose mail
has been queued, so that the job, run again, mails nobody twice. Every invitation before this one was
mailed in the request that created it.

Revision ID: 851daff3091e
Revises: 094de9f20f89
Create Date: 2026-12-07 13:49:51.590831
"""
from alembic import op
import sqlalchemy as sa

import conference.core.types

revision = '851daff3091e'
down_revision = '094de9f20f89'
branch_labels = None
depends_on = None

UNMAILED = sa.text("mailed_at IS NULL")


def upgrade():
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("mailed_at", conference.core.types.UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table("series_invitee", schema=None) as batch_op:
        batch_op.add_column(sa.Column("batch", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("mailed_at", conference.core.types.UTCDateTime(timezone=True), nullable=True))
    op.execute("UPDATE invitation SET mailed_at = created_at")
    op.execute("UPDATE series_invitee SET mailed_at = created_at")
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.create_index("ix_invitation_unmailed", ["batch"], unique=False, sqlite_where=UNMAILED,
                              postgresql_where=UNMAILED)
    with op.batch_alter_table("series_invitee", schema=None) as batch_op:
        batch_op.create_index("ix_series_invitee_unmailed", ["batch"], unique=False, sqlite_where=UNMAILED,
                              postgresql_where=UNMAILED)


def downgrade():
    # the older code never writes an invitation whose mail is still to come: refuse rather than lose it
    waiting = op.get_bind().exec_driver_sql(
        "SELECT (SELECT count(*) FROM invitation WHERE mailed_at IS NULL) + "
        "(SELECT count(*) FROM series_invitee WHERE mailed_at IS NULL)").scalar()
    if waiting:
        raise RuntimeError(f"{waiting} uploaded invitations are still to be mailed: let the worker write them "
                           "(flask worker --once) before going below this revision")
    with op.batch_alter_table("series_invitee", schema=None) as batch_op:
        batch_op.drop_index("ix_series_invitee_unmailed", sqlite_where=UNMAILED, postgresql_where=UNMAILED)
        batch_op.drop_column("mailed_at")
        batch_op.drop_column("batch")
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.drop_index("ix_invitation_unmailed", sqlite_where=UNMAILED, postgresql_where=UNMAILED)
        batch_op.drop_column("mailed_at")
