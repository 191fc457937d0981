"""Trust between organizations: each lead's level toward every other organization."""
