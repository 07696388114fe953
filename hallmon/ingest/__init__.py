"""The ingest framework every source shares: read, parse into a typed frame or row errors, persist."""
from hallmon.ingest.errors import IngestRefused, RowError
from hallmon.ingest.table import LINE, Column, Table

__all__ = ["IngestRefused", "RowError", "LINE", "Column", "Table"]
