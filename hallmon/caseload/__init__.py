"""Caseload: cases counted by department, window, staff and business (rules §7)."""
