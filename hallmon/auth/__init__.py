"""Users, roles (SPEC §10) and logging in."""
