"""Person-to-person safety: blocks and safety separation."""
