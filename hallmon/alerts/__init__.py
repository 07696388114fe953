"""Alerts and schedules (rules §11): what needs someone's attention today, raised once and cleared by itself."""
