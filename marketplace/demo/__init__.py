"""Demo data for ``manage.py seed_demo``: a believable marketplace with a year of history.

One module per app it fills (``accounts``, ``catalog``, ``images``, ``orders``, ``payments``,
``analytics``), ``base`` for what they share and ``seed`` for the order they run in. This package is the
top of the import graph: it may import any app, and no app imports it.

Every row has a deterministic key (category slug, ``@demo.marketplace`` e-mail, ``DEMO-`` SKU or order
number, ``demo`` visitor-id prefix), so a second run creates only what is missing. The seeders
deliberately bypass the per-row services of the apps: those save one row at a time and write audit rows,
which would turn 100k demo products into tens of minutes. They only ever insert new demo rows, with
``bulk_create`` in batches.
"""
