"""The rollups: the fact tables of ``analytics.models`` rebuilt from orders, payments, the ledger and the
event stream, one platform day at a time (``analytics.rollups.services`` is the entry point)."""
