"""Organizations: creation by the admin, vetting, roles, invitations, audit."""
