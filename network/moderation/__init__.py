"""Moderation: hiding, muting, removing, banning, locking, slow mode, pins, reports."""
