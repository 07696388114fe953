"""Monthly assessment: itemised points, recurrence, notices and grades (rules §5)."""
