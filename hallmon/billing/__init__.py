"""Billing: settlement of each billing period (rules §8) and the 考核+核验 payment gate (rules §9)."""
