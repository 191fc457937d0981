"""Supervision rooms: membership, ground rules, sessions, check-ins, support alerts."""
