"""Outgoing email (password resets only). SMTP if configured, else the console."""

from __future__ import annotations

import smtplib
import sys
from email.message import EmailMessage

from flask import Flask, current_app

from network.config import development


def warn_if_console(app: Flask) -> None:
    """Say loudly at start-up when reset mail would go to the console in earnest."""
    if app.config["MAIL_SERVER"] or development(app.config):
        return
    app.logger.warning(
        "!!! MAIL_SERVER is not set: password reset emails, with their secret "
        "links, are printed to the console (stdout) instead of sent. This is for "
        "the demo only; set MAIL_SERVER before real people use this server. !!!"
    )


def send_mail(to: str, subject: str, body: str) -> None:
    """Send one plain-text email; never logged, never stored."""
    config = current_app.config
    if not config["MAIL_SERVER"]:
        if config["TESTING"]:
            outbox = current_app.extensions.setdefault("network.outbox", [])
            outbox.append((to, subject, body))
        else:
            # Development only: printed to the console, never through logging.
            print(
                f"--- email (no MAIL_SERVER set) ---\n{subject}\n\n{body}\n---",
                file=sys.stdout,
                flush=True,
            )
        return
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
        if config["MAIL_STARTTLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(message)
