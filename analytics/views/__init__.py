"""The analytics dashboards: operators' pages (``ops``) and sellers' (``seller``), sharing the tables,
CSV export, charts and range handling of ``dashboard``."""
