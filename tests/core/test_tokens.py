"""A personal link's token finds its row by the token's hash, and nothing else does."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event as sa_event

from conference.core import tokens
from conference.core.timeutil import utcnow
from conference.extensions import db
from conference.press import services as press
from conference.press.models import StreamAccess, StreamAccessKind
from tests import factories as f


@pytest.fixture
def access(ctx):
    e = f.event("forum", starts_at=utcnow() + timedelta(days=7))
    db.session.flush()
    found = press.grant(e, StreamAccessKind.PRESS, holder_name="Karin, Tidningen", now=utcnow())
    db.session.commit()
    return found


@contextmanager
def counted_queries():
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    sa_event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", count)


def test_the_token_finds_its_row(access):
    token = press.watch_token(access)
    assert tokens.by_token(StreamAccess, StreamAccess.token_hash, token) is access


@pytest.mark.parametrize("wrong", ["", "x", "not-the-token-but-about-as-long-as-one-00000", "é" * 43])
def test_another_token_finds_nothing(access, wrong):
    assert tokens.by_token(StreamAccess, StreamAccess.token_hash, wrong) is None


def test_a_token_changed_in_one_letter_finds_nothing(access):
    token = press.watch_token(access)
    changed = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert tokens.by_token(StreamAccess, StreamAccess.token_hash, changed) is None


@pytest.mark.parametrize("absurd", ["x" * (tokens.MAX_TOKEN_LENGTH + 1), "x" * 100_000, "", None])
def test_an_absurd_token_is_refused_without_asking_the_database(access, absurd):
    with counted_queries() as statements:
        assert tokens.by_token(StreamAccess, StreamAccess.token_hash, absurd) is None
    assert statements == []


def test_the_longest_token_of_ours_is_not_absurd(ctx):
    assert len(tokens.link_token("manage", tokens.new_nonce())) <= tokens.MAX_TOKEN_LENGTH
    assert len(tokens.new_token()) <= tokens.MAX_TOKEN_LENGTH
    assert tokens.TICKET_LENGTH <= tokens.MAX_TOKEN_LENGTH
