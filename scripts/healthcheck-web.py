"""Docker healthcheck of the web container: GET /healthz on the local gunicorn, exit 0 only on 200.

It presents itself as the first ALLOWED_HOSTS name over "https" (X-Forwarded-Proto, trusted when
BEHIND_TLS_PROXY=1) so neither the host check nor SECURE_SSL_REDIRECT turns the probe into a 400/301.
"""

import os
import sys
import urllib.request

host = os.environ.get("ALLOWED_HOSTS", "localhost").split(",")[0].strip().lstrip(".")
if not host or "*" in host:
    host = "localhost"
request = urllib.request.Request(
    "http://127.0.0.1:8000/healthz", headers={"Host": host, "X-Forwarded-Proto": "https"}
)
try:
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - fixed local URL
        sys.exit(0 if response.status == 200 else 1)
except Exception as exc:  # any failure means unhealthy
    print(f"unhealthy: {exc}", file=sys.stderr)
    sys.exit(1)
