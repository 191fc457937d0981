"""Accounts: sign-up, login, sessions, password reset and pseudonymous profiles."""
