"""Flask commands: create-admin, seed-demo, serve, cleanup, purge, housekeeping."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from flask import Flask
from sqlalchemy import func, select

from network.extensions import db
from network.models import Account

DEMO_PASSWORD = "peer-demo-2026"


def register_cli(app: Flask) -> None:
    """Attach the commands to `flask --app network ...`."""
    app.cli.add_command(create_admin)
    app.cli.add_command(seed_demo)
    app.cli.add_command(serve)
    app.cli.add_command(cleanup)
    app.cli.add_command(purge)
    app.cli.add_command(housekeeping)


@click.command("create-admin")
@click.option("--login", "login_name", prompt="Login name")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--pseudonym", default="Network admin", show_default=True)
def create_admin(login_name: str, password: str, pseudonym: str) -> None:
    """Create a platform admin account."""
    from network.accounts import services

    if len(password) < 10:
        raise click.BadParameter("use at least 10 characters", param_hint="--password")
    data = services.NewAccount(
        login_name=login_name, password=password, pseudonym=pseudonym
    )
    try:
        services.check_new_account(data)
    except services.InputError as error:
        raise click.ClickException(error.message) from None
    account = services.create_named_account(data)
    account.is_platform_admin = True
    db.session.commit()
    click.echo(f"Platform admin '{login_name}' created.")


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing if any account exists.")
def seed_demo(if_empty: bool) -> None:
    """Fill the database with a believable demo network and print the logins."""
    from network.demo import seed

    if if_empty and db.session.scalar(select(func.count(Account.id))):
        from network.demo import PEOPLE

        click.echo("The database has accounts already; the demo was not added again.")
        click.echo(f"Demo logins (password {DEMO_PASSWORD}, if this is the demo):")
        click.echo("  admin              platform admin")
        for login_name, pseudonym, *_ in PEOPLE:
            click.echo(f"  {login_name:<18} {pseudonym}")
        return
    logins = seed(DEMO_PASSWORD)
    click.echo(
        f"\nDemo network ready. Every demo login uses the password: {DEMO_PASSWORD}"
    )
    for login_name, description in logins:
        click.echo(f"  {login_name:<18} {description}")
    click.echo("")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
def serve(host: str, port: int) -> None:
    """Run the gevent server (a fresh process, so monkey-patching comes first)."""
    wsgi = Path(__file__).resolve().parent.parent / "wsgi.py"
    os.execv(
        sys.executable, [sys.executable, str(wsgi), "--host", host, "--port", str(port)]
    )


@click.command("cleanup")
def cleanup() -> None:
    """Delete expired sessions and spent reset codes."""
    from network.housekeeping import remove_expired

    removed = remove_expired()
    click.echo(f"Removed {removed} expired rows.")


@click.command("purge")
def purge() -> None:
    """Delete messages older than their room's retention period."""
    from network.rooms.services import purge_expired

    click.echo(f"Purged {purge_expired()} messages past their retention.")


@click.command("housekeeping")
def housekeeping() -> None:
    """One housekeeping pass (for a timer): heartbeat, sessions, retention."""
    from flask import current_app

    from network import housekeeping as jobs

    done = jobs.run_once(current_app._get_current_object())
    click.echo(
        f"Cleared {done['stale_sockets']} sockets of dead processes, removed "
        f"{done['expired_rows']} expired rows, purged {done['messages']} messages."
    )
