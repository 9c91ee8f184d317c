"""Add agenda proposals, feedback windows, photos and invited groups

Revision ID: 8e27ef790845
Revises: 50d512ba426a
Create Date: 2026-11-22 02:46:50.510357
"""
from alembic import op
import sqlalchemy as sa

import conference.core.types

revision = '8e27ef790845'
down_revision = '50d512ba426a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('agenda_proposal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('organisation_name', sa.String(length=200), nullable=False),
    sa.Column('proposer_name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('email_normalised', sa.String(length=254), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('nonce', sa.String(length=64), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('consent_version', sa.String(length=20), nullable=False),
    sa.Column('created_at', conference.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', conference.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_at', conference.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.Enum('taken_up', 'merged', 'not_taken_up', name='proposaloutcome', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('feedback', sa.Text(), nullable=False),
    sa.Column('feedback_at', conference.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('feedback_by_user_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('merged_into_id IS NULL OR merged_into_id <> id', name=op.f('ck_agenda_proposal_not_merged_into_itself')),
    sa.ForeignKeyConstraint(['feedback_by_user_id'], ['user.id'], name=op.f('fk_agenda_proposal_feedback_by_user_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['merged_into_id'], ['agenda_proposal.id'], name=op.f('fk_agenda_proposal_merged_into_id_agenda_proposal'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_agenda_proposal_organisation_id_organisation'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['process_id'], ['process.id'], name=op.f('fk_agenda_proposal_process_id_process'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_proposal')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_agenda_proposal_token_hash'))
    )
    with op.batch_alter_table('agenda_proposal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_proposal_email_normalised'), ['email_normalised'], unique=False)
        batch_op.create_index(batch_op.f('ix_agenda_proposal_process_id'), ['process_id'], unique=False)

    op.create_table('feedback_window',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('closes_at', conference.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('audience', sa.Enum('participants', 'anyone', name='feedbackaudience', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('instructions', sa.Text(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('summary_published_at', conference.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', conference.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_user_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_user_id'], ['user.id'], name=op.f('fk_feedback_window_created_by_user_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_feedback_window_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_window')),
    sa.UniqueConstraint('event_id', name=op.f('uq_feedback_window_event_id'))
    )
    op.create_table('invited_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_invited_group_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_invited_group_organisation_id_organisation'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invited_group'))
    )
    with op.batch_alter_table('invited_group', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invited_group_event_id'), ['event_id'], unique=False)

    op.create_table('photo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('image', sa.LargeBinary(), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('alt_text', sa.String(length=300), nullable=False),
    sa.Column('caption', sa.String(length=500), nullable=False),
    sa.Column('credit', sa.String(length=200), nullable=False),
    sa.Column('created_at', conference.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('uploaded_by_user_id', sa.Integer(), nullable=True),
    sa.Column('taken_down_at', conference.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_photo_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_user_id'], ['user.id'], name=op.f('fk_photo_uploaded_by_user_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_photo'))
    )
    with op.batch_alter_table('photo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_photo_event_id'), ['event_id'], unique=False)

    op.create_table('takedown_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('photo_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('created_at', conference.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('handled_at', conference.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('handled_by_user_id', sa.Integer(), nullable=True),
    sa.Column('photo_removed', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['handled_by_user_id'], ['user.id'], name=op.f('fk_takedown_request_handled_by_user_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['photo_id'], ['photo.id'], name=op.f('fk_takedown_request_photo_id_photo'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_takedown_request'))
    )
    with op.batch_alter_table('takedown_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_takedown_request_photo_id'), ['photo_id'], unique=False)

    op.create_table('written_comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('window_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=True),
    sa.Column('invitation_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('email_normalised', sa.String(length=254), nullable=False),
    sa.Column('organisation_name', sa.String(length=200), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('attachment', sa.LargeBinary(), nullable=True),
    sa.Column('attachment_name', sa.String(length=200), nullable=True),
    sa.Column('attachment_type', sa.String(length=100), nullable=True),
    sa.Column('attachment_size', sa.Integer(), nullable=True),
    sa.Column('created_at', conference.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitation.id'], name=op.f('fk_written_comment_invitation_id_invitation'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], name=op.f('fk_written_comment_registration_id_registration'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['window_id'], ['feedback_window.id'], name=op.f('fk_written_comment_window_id_feedback_window'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_written_comment'))
    )
    with op.batch_alter_table('written_comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_written_comment_window_id'), ['window_id'], unique=False)

    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('topic_proposal_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_event_topic_proposal_id_agenda_proposal'), 'agenda_proposal', ['topic_proposal_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('process', schema=None) as batch_op:
        batch_op.add_column(sa.Column('timezone', sa.String(length=40), server_default='Europe/Stockholm', nullable=False))
        batch_op.add_column(sa.Column('feedback_publish_at', conference.core.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('feedback_mailed_at', conference.core.types.UTCDateTime(timezone=True), nullable=True))



def downgrade():
    with op.batch_alter_table('process', schema=None) as batch_op:
        batch_op.drop_column('feedback_mailed_at')
        batch_op.drop_column('feedback_publish_at')
        batch_op.drop_column('timezone')

    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_event_topic_proposal_id_agenda_proposal'), type_='foreignkey')
        batch_op.drop_column('topic_proposal_id')

    with op.batch_alter_table('written_comment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_written_comment_window_id'))

    op.drop_table('written_comment')
    with op.batch_alter_table('takedown_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_takedown_request_photo_id'))

    op.drop_table('takedown_request')
    with op.batch_alter_table('photo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_photo_event_id'))

    op.drop_table('photo')
    with op.batch_alter_table('invited_group', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invited_group_event_id'))

    op.drop_table('invited_group')
    op.drop_table('feedback_window')
    with op.batch_alter_table('agenda_proposal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_proposal_process_id'))
        batch_op.drop_index(batch_op.f('ix_agenda_proposal_email_normalised'))

    op.drop_table('agenda_proposal')
