"""Caseload: cases counted by department, window, staff and business (SPEC §7)."""
