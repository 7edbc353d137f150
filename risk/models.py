"""Models of the risk app. Empty until its issue lands (see the package docstring for what it owns)."""
