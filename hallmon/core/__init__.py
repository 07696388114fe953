"""The core every layer stands on: months and periods, the working calendar, money and JSON numbers, the one glossary, errors."""
