"""The annual performance self-evaluation (绩效自评表) of a contract year, generated from the data."""
