"""Flask commands: users, demo data, the worker, the YouTube connection."""

import sys
import time

import click
from email_validator import EmailNotValidError, validate_email
from flask import Flask
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from conference import demo
from conference.core import jobs, users
from conference.core.timeutil import utcnow
from conference.core.models import Role
from conference.events.models import Event
from conference.events.services import count_events
from conference.extensions import db
from conference.press import broadcasts
from conference.streaming import youtube

users_cli = AppGroup("users", help="Organiser accounts.")
demo_cli = AppGroup("demo", help="Demo data.")
outbox_cli = AppGroup("outbox", help="Outgoing e-mail.")

ROLE_CHOICES = ["admin", "organiser", "press_officer"]
CLI_MESSAGES = {
    "email_taken": "a user with this e-mail address exists already",
    "password_too_short": f"the password must have at least {users.MIN_PASSWORD_LENGTH} characters",
    "grant_exists": "the user has this role already",
}


def read_password(prompt_twice: bool) -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=prompt_twice)


def valid_email(address: str) -> bool:
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", default="")
@click.option("--role", type=click.Choice(ROLE_CHOICES), default="organiser", show_default=True)
@click.option("--event", "event_slug", default=None, help="Limit the role to one event (slug); default: all.")
def create_user(email: str, name: str, role: str, event_slug: str | None):
    """Create an organiser account; the password is prompted, or read from standard input."""
    email = email.strip().lower()
    if not valid_email(email):
        raise click.UsageError(f"not a valid e-mail address: {email}")
    event_id = None
    if event_slug:
        event = db.session.scalar(select(Event).where(Event.slug == event_slug))
        if event is None:
            raise click.UsageError(f"no event with the slug {event_slug}")
        event_id = event.id
    password = read_password(prompt_twice=True)
    try:
        user = users.create_user(email, name, password, is_admin=role == "admin")
        if role != "admin":
            users.grant(user, Role(role), event_id)
    except users.AccountError as error:
        db.session.rollback()
        raise click.UsageError(CLI_MESSAGES[error.code]) from None
    db.session.commit()
    click.echo(f"Created {role} {email}")


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has events.")
def load_demo(if_empty: bool):
    """Load the demo: Integrationsforum, a workshop, a consultation with follow-up dialogues."""
    if if_empty and count_events():
        click.echo("The database has events already; demo data not loaded.")
        return
    summary = demo.load()
    db.session.commit()
    click.echo(summary)


def run_worker(once: bool, idle_seconds: float) -> None:
    """Run whatever the features registered: mail delivery on every turn, due one-off jobs, and each
    periodic job when its time comes. Several workers may share one PostgreSQL database."""
    while True:
        done = jobs.run_due(utcnow())
        db.session.remove()
        if once:
            return
        if not done:
            time.sleep(idle_seconds)


@click.command("worker")
@with_appcontext
@click.option("--once", is_flag=True, help="Do what is due, then stop.")
@click.option("--idle-seconds", default=2.0, show_default=True, help="Pause when there is nothing to do.")
def worker(once: bool, idle_seconds: float):
    """Deliver queued e-mail (SMTP if MAIL_SERVER is set, else .eml files) and run the jobs that are due:
    expiry of unconfirmed places, broadcast polling and rescheduling, scheduled publications."""
    run_worker(once, idle_seconds)


@outbox_cli.command("work")
@click.option("--once", is_flag=True, help="Do what is due, then stop.")
@click.option("--idle-seconds", default=2.0, show_default=True, help="Pause when there is nothing to do.")
def outbox_work(once: bool, idle_seconds: float):
    """The same as `flask worker`, under its older name."""
    run_worker(once, idle_seconds)


youtube_cli = AppGroup("youtube", help="The YouTube channel.")


@youtube_cli.command("connect")
def youtube_connect():
    """Connect the channel from a server without a browser: open the address, paste the code back."""
    config = broadcasts.client_config()
    url, state = youtube.console_flow_url(config)
    click.echo("Open this address in a browser, sign in with the channel's Google account and allow access:")
    click.echo(url)
    code = click.prompt("Then paste the code (or the whole address you were sent to)").strip()
    try:
        info = youtube.exchange_console_code(config, state, code)
    except youtube.StreamingError as error:
        raise click.ClickException(f"not connected: {error.code}") from None
    broadcasts.store_credentials(info)
    click.echo(f"Connected; the credentials are in {broadcasts.credentials_path()}")


def register_commands(app: Flask) -> None:
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(worker)
    app.cli.add_command(youtube_cli)
