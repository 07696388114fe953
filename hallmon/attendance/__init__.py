"""Attendance: punches, leave and make-ups in; session outcomes, monthly summaries and replacement demands out (rules §4)."""
