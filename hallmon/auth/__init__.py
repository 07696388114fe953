"""Users, roles (rules §10) and logging in."""
