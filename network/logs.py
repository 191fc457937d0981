"""Client addresses never reach a log line.

Standard library only: gunicorn.conf.py loads this file before the app (and
before gevent patches anything), so it must not import the network package.
"""

from __future__ import annotations

import logging
import re
import sys
from typing import TextIO

# ('127.0.0.42', 5555) or ('::1', 5555, 0, 0), as servers print a peer.
_PEER = re.compile(r"\(\s*'[^']*',\s*\d+(?:,\s*\d+)*\s*\)")
_IPV4 = re.compile(r"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d.])")
# ip=... as gunicorn writes it ("Invalid request from ip=203.0.113.9: ...").
_IP_FIELD = re.compile(r"\bip=\S+?(?=[:\s]|$)")
_IPV6 = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])")


def _ipv6(match: re.Match[str]) -> str:
    # Times (12:34:56) have colons too: an address has "::" or five or more.
    text = match.group()
    return "(address)" if "::" in text or text.count(":") >= 5 else text


def scrub_addresses(text: str) -> str:
    """The text with every client address (and peer port) replaced."""
    text = _PEER.sub("(address)", text)
    text = _IP_FIELD.sub("ip=(address)", text)
    text = _IPV4.sub("(address)", text)
    return _IPV6.sub(_ipv6, text)


class ScrubbedStream:
    """A write()-only stream (gevent's `error_log`) that drops addresses."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr

    def write(self, text: str) -> int:
        """Write the scrubbed text."""
        return self.stream.write(scrub_addresses(text))

    def writelines(self, lines) -> None:
        """Write each line scrubbed."""
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        """Flush the underlying stream."""
        self.stream.flush()


class AddressFilter(logging.Filter):
    """A logging filter that rewrites each record's message without addresses."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Scrub the formatted message in place; never drops a record."""
        record.msg = scrub_addresses(record.getMessage())
        record.args = None
        return True


def configure_server_logging(level: int = logging.WARNING) -> None:
    """Send the root logger to stderr through the address filter (server only)."""
    handler = logging.StreamHandler(ScrubbedStream())
    handler.addFilter(AddressFilter())
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler], force=True)
