"""The site's date and time formats per language (``FORMAT_MODULE_PATH``), one convention everywhere.

Templates name a format — ``{{ value|date }}``, ``{{ value|date:"DATETIME_FORMAT" }}``,
``{{ value|date:"SHORT_DATE_FORMAT" }}`` — and never spell a pattern, so a date reads the same on every
page and in every e-mail of one language. The short formats are the long ones: the site has one way to
write a date, not a long and a short one. Machine-readable places (``<time datetime>``, CSV, API) use
ISO 8601 (``|date:'c'``, ``isoformat()``). Only the display formats are set here; input formats stay
Django's for each language.
"""
