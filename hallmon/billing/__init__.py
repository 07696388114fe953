"""Billing: settlement of each billing period (SPEC §8) and the 考核+核验 payment gate (SPEC §9)."""
