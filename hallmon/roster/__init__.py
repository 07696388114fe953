"""The roster: contracts and their terms, departments, windows and staff."""
