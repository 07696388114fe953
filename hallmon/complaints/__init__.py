"""Complaints: petitions (信访), 12345 hotline, 好差评 reviews and on-site complaints (rules §6)."""
