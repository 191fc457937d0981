"""The start page: the one place that gathers every feature's summary (top floor)."""
