"""Generated avatars: a symmetric 5x5 pattern from a hash of the public id.

The avatar depends on nothing but the id in the URL, so it reveals nothing about
whether a profile exists or who may see it.
"""

from __future__ import annotations

import hashlib

PALETTE = ["#5b7db1", "#3f8f7a", "#9a6fb0", "#c0784a", "#4d8fb3", "#a0525e", "#6b8e3a"]


def avatar_svg(public_id: str) -> str:
    """An SVG identicon for a public id."""
    digest = hashlib.sha256(public_id.encode()).digest()
    colour = PALETTE[digest[0] % len(PALETTE)]
    cells = []
    for row in range(5):
        for col in range(3):
            if digest[1 + row * 3 + col] % 2:
                for x in {col, 4 - col}:
                    cells.append(
                        f'<rect x="{x * 10 + 5}" y="{row * 10 + 5}" '
                        f'width="10" height="10" fill="{colour}"/>'
                    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 60 60" '
        'width="60" height="60" role="img" aria-label="avatar">'
        '<rect width="60" height="60" fill="#eef1f5"/>' + "".join(cells) + "</svg>"
    )
