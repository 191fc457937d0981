"""Seed step for bench/rooms_load.py, run against the bench's own database:
one organization, one big room, `--rooms` small rooms, `--members` approved members
with login names bench0000... and one password. Prints the rooms' public ids as JSON.

    DATABASE_URL=... python bench/rooms_load_seed.py --members 200 --rooms 10
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from network import create_app  # noqa: E402
from network.extensions import db  # noqa: E402
from tests import factories  # noqa: E402

PASSWORD = "bench-rooms-load-2026"


def main() -> None:
    """Create the organization, rooms and members; print the room ids."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, required=True)
    parser.add_argument("--rooms", type=int, required=True)
    args = parser.parse_args()
    app = create_app()
    with app.app_context():
        org = factories.make_org(name="Bench Agency")
        big = factories.make_room(org, name="Bench big room")
        small = [
            factories.make_room(org, name=f"Bench room {n:02d}")
            for n in range(args.rooms)
        ]
        for n in range(args.members):
            factories.make_member(org, login_name=f"bench{n:04d}", password=PASSWORD)
        db.session.commit()
        print(
            json.dumps(
                {"big": big.public_id, "small": [room.public_id for room in small]}
            )
        )


if __name__ == "__main__":
    main()
