"""Real-time rooms: persisted channels, catch-up, presence, typing."""
