"""Timing oracles: does "denied" or "exists" answer in a different time?

    .venv/bin/python bench/oracle_timing.py [--samples 50]

Medians over the samples, through the Flask test client against a fresh app:
- a profile the viewer is kept apart from (separated) against a missing id;
- a password reset for an account with an email against one for nobody.
Prints the medians and their ratio (1.00 means no difference). Measured, never
asserted: tests pin the causes instead (tests/test_access_paths.py counts the
SQL statements of each path).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from network import create_app  # noqa: E402
from network.extensions import db  # noqa: E402
from network.models import Separation  # noqa: E402
from tests import factories  # noqa: E402
from tests.conftest import IsolatedClient, csrf_token, login  # noqa: E402


def _median_ms(samples: int, call) -> float:
    """The median of `samples` timed calls, in milliseconds (after a warm-up)."""
    call()
    times = []
    for _ in range(samples):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _line(label: str, a_name: str, a: float, b_name: str, b: float) -> None:
    print(f"{label:<8} {a_name}={a:6.2f} ms  {b_name}={b:6.2f} ms  ratio={a / b:4.2f}")


def profiles(app, samples: int) -> None:
    """Separated profile against a missing one, as the separated viewer."""
    org = factories.make_org()
    viewer = factories.make_member(org, pseudonym="Viewer V")
    hider = factories.make_member(org, pseudonym="Hider H")
    db.session.add(
        Separation(
            protected_id=hider.id,
            other_id=viewer.id,
            other_key="viewer v",
            other_name="Viewer V",
        )
    )
    db.session.commit()
    client = app.test_client()
    login(client, viewer)
    hidden = f"/profiles/{hider.profile.public_id}"
    separated = _median_ms(samples, lambda: client.get(hidden))
    missing = _median_ms(samples, lambda: client.get("/profiles/no-such-profile00"))
    _line("profile", "separated", separated, "missing", missing)


def resets(app, samples: int) -> None:
    """A reset for an account with an email against one for nobody."""
    org = factories.make_org()
    factories.make_member(org, email="peer@example.org")
    client = app.test_client()
    token = csrf_token(client, "/reset")

    def ask(who: str):
        return lambda: client.post(
            "/reset", data={"csrf_token": token, "login_or_email": who}
        )

    existing = _median_ms(samples, ask("peer@example.org"))
    missing = _median_ms(samples, ask("nobody-at-all"))
    _line("reset", "existing", existing, "missing", missing)
    for task in app.extensions.get("network.tasks", []):
        task.join(10)


def main() -> None:
    """Build a small network and print the medians."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samples", type=int, default=50)
    args = parser.parse_args()
    app = create_app("test")
    app.test_client_class = IsolatedClient
    with app.app_context():
        db.create_all()
        profiles(app, args.samples)
        resets(app, args.samples)


if __name__ == "__main__":
    main()
