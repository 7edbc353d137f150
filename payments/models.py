"""Models of the payments app. Empty until its issue lands (see the package docstring for what it owns)."""
