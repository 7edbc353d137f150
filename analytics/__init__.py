"""Analytics owns behavioural data: the append-only ``Event`` stream every app writes through
``analytics.services.track``, page-view capture, and later the rollups, dashboards, experiments and models
built on it. It must not own business records (orders, products) — it reads them through selectors."""
