"""Monthly assessment: itemised points, recurrence, notices and grades (SPEC §5)."""
