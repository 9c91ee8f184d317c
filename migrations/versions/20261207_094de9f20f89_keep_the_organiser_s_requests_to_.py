"""Keep the organiser's requests to YouTube until the worker has carried them out

Linking, creating and reading a broadcast leave the request: the Stream tab stores what was asked
in broadcast_request (at most one open per event), and a job carries it out.

Revision ID: 094de9f20f89
Revises: 230e35831b74
Create Date: 2026-12-07 13:45:05.522537
"""
from alembic import op
import sqlalchemy as sa

import conference.core.types

revision = '094de9f20f89'
down_revision = '230e35831b74'
branch_labels = None
depends_on = None

OPEN = sa.text("finished_at IS NULL")


def upgrade():
    op.create_table(
        "broadcast_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.Enum("link", "create", "refresh", name="broadcastaction", native_enum=False,
                                    create_constraint=True, length=32), nullable=False),
        sa.Column("youtube_id", sa.String(length=20), nullable=True),
        sa.Column("requested_at", conference.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("requested_by_user_id", sa.Integer(), nullable=True),
        sa.Column("sent_at", conference.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", conference.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("problem", sa.String(length=40), nullable=True),
        sa.Column("outcome_unknown", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], name=op.f("fk_broadcast_request_event_id_event"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["requested_by_user_id"], ["user.id"],
                                name=op.f("fk_broadcast_request_requested_by_user_id_user"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_broadcast_request")),
    )
    with op.batch_alter_table("broadcast_request", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_broadcast_request_event_id"), ["event_id"], unique=False)
        batch_op.create_index("uq_broadcast_request_open", ["event_id"], unique=True, sqlite_where=OPEN,
                              postgresql_where=OPEN)


def downgrade():
    # the older code carries out no request: refuse rather than drop one an organiser is waiting for
    waiting = op.get_bind().exec_driver_sql(
        "SELECT count(*) FROM broadcast_request WHERE finished_at IS NULL").scalar()
    if waiting:
        raise RuntimeError(f"{waiting} requests to YouTube are still open: let the worker carry them out "
                           "(flask worker --once) before going below this revision")
    with op.batch_alter_table("broadcast_request", schema=None) as batch_op:
        batch_op.drop_index("uq_broadcast_request_open", sqlite_where=OPEN, postgresql_where=OPEN)
        batch_op.drop_index(batch_op.f("ix_broadcast_request_event_id"))
    op.drop_table("broadcast_request")
