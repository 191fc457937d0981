"""The peer directory: who a member may see, with filters."""
