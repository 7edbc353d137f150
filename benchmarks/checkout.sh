#!/usr/bin/env bash
# Checkout benchmark: gunicorn (2 workers, DEBUG off) on PostgreSQL + Redis, many distinct signed-in
# shoppers each adding an in-stock SKU to their cart and checking out through the orders API, then the
# contention scenario (200 shoppers, one SKU with 10 units, all at once).
#
#   benchmarks/checkout.sh [DURATION_S=20] [CONNECTIONS=8] [SHOPPERS=2000]
#
# Uses the storefront benchmark's database when it exists (BENCH_DB, default marketplace_bench, seeded by
# benchmarks/storefront.sh with BENCH_REUSE=1); otherwise seeds the 5,000-product demo into it.
# Traffic goes only to 127.0.0.1; every run is bounded.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

DURATION=${1:-20}
CONNECTIONS=${2:-8}
SHOPPERS=${3:-2000}
PORT=${BENCH_PORT:-8812}
DB=${BENCH_DB:-marketplace_bench}
scripts/ensure-services.sh

export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB
export REDIS_URL=redis://127.0.0.1:6379/5
export SECRET_KEY=bench-not-secret-but-long-enough-0123456789abcdef ALLOWED_HOSTS=127.0.0.1 DEBUG=0
export LOG_LEVEL=WARNING EMAIL_URL=dummymail://
PY=.venv/bin/python

redis-cli -n 5 flushdb >/dev/null
if ! psql -h 127.0.0.1 -U postgres -lqt | cut -d'|' -f1 | grep -qw "$DB"; then
    createdb -h 127.0.0.1 -U postgres "$DB"
    $PY manage.py migrate --noinput -v0
    $PY manage.py seed_demo --no-progress | tail -n 3
fi
$PY manage.py migrate --noinput -v0
PREPARED=$(mktemp --suffix=.json)
$PY benchmarks/checkout_prepare.py "$SHOPPERS" 200 "$PREPARED"

THREADS=${BENCH_THREADS:-1}
.venv/bin/gunicorn marketplace.wsgi --bind 127.0.0.1:$PORT --workers 2 --threads "$THREADS" --access-logfile /dev/null \
    --error-logfile /tmp/bench-checkout-gunicorn.log --pid /tmp/bench-checkout-gunicorn.pid --daemon
trap 'kill "$(cat /tmp/bench-checkout-gunicorn.pid)" 2>/dev/null || true; rm -f "$PREPARED"' EXIT
for _ in $(seq 50); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.2; done

echo "== checkout load: $CONNECTIONS connections, ${DURATION} s, gunicorn 2 workers x $THREADS threads"
/usr/bin/time -f "load generator CPU: %U s user + %S s system over %e s" \
    $PY benchmarks/checkout_load.py "http://127.0.0.1:$PORT" "$PREPARED" load "$DURATION" "$CONNECTIONS"
echo "== contention: 200 shoppers, one SKU with 10 units"
$PY benchmarks/checkout_load.py "http://127.0.0.1:$PORT" "$PREPARED" contention 200
