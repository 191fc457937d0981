"""A coarse device label from a User-Agent header: "Phone · Firefox".

No maintained user-agent library is among the project's dependencies (ua-parser
and user-agents are not in the package index this project installs from), and
the devices page needs only two coarse words, so this is a short table of
substrings, checked in order. Only the label is stored, never the header
(docs/security.md, "Devices"). Unknown agents read "Device · Browser".
"""

from __future__ import annotations

# Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari",
# Android tablets lack "Mobile", iPadOS may claim to be a Mac.
_BROWSERS = (
    ("Edg", "Edge"),
    ("OPR/", "Opera"),
    ("Opera", "Opera"),
    ("SamsungBrowser", "Samsung Internet"),
    ("Firefox", "Firefox"),
    ("FxiOS", "Firefox"),
    ("CriOS", "Chrome"),
    ("Chromium", "Chromium"),
    ("Chrome", "Chrome"),
    ("Safari", "Safari"),
)


def _kind(agent: str) -> str:
    if "iPad" in agent or "Tablet" in agent:
        return "Tablet"
    if "Android" in agent and "Mobile" not in agent:
        return "Tablet"
    if any(word in agent for word in ("iPhone", "iPod", "Mobile", "Android")):
        return "Phone"
    if any(word in agent for word in ("Windows", "Macintosh", "X11", "Linux", "CrOS")):
        return "Computer"
    return "Device"


def _browser(agent: str) -> str:
    for needle, name in _BROWSERS:
        if needle in agent:
            return name
    return "Browser"


def device_label(agent: str | None) -> str:
    """Two coarse words for a User-Agent header: kind of device · browser."""
    agent = (agent or "")[:512]
    return f"{_kind(agent)} · {_browser(agent)}"
