#!/usr/bin/env bash
# Checkout benchmark: gunicorn (2 workers, DEBUG off) on PostgreSQL + Redis, many distinct signed-in
# shoppers each adding an in-stock SKU to their cart and checking out through the orders API, then the
# contention scenario (200 shoppers, one SKU with 10 units, all at once).
#
#   benchmarks/checkout.sh [DURATION_S=20] [CONNECTIONS=8] [SHOPPERS=2000]
#
# BENCH_CART_ANSWERS="full minimal" (default) runs the load once per add-to-cart answer; BENCH_THREADS sets
# gunicorn threads per worker (default 1: sync workers).
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
export SECRET_KEY=bench-not-secret-but-long-enough-0123456789abcdefghij ALLOWED_HOSTS=127.0.0.1 DEBUG=0
export CARRIER_WEBHOOK_SECRET=bench-carrier-secret-not-secret-0123456789
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
# The add-to-cart's answer: "full" is the API's default (the whole priced cart), "minimal" the short one
# a client asks for with Prefer: return=minimal. Both by default, full first.
CART_ANSWERS=${BENCH_CART_ANSWERS:-full minimal}
.venv/bin/gunicorn marketplace.wsgi --bind 127.0.0.1:$PORT --workers 2 --threads "$THREADS" --access-logfile /dev/null \
    --error-logfile /tmp/bench-checkout-gunicorn.log --pid /tmp/bench-checkout-gunicorn.pid --daemon
trap 'kill "$(cat /tmp/bench-checkout-gunicorn.pid)" 2>/dev/null || true; rm -f "$PREPARED"' EXIT
for _ in $(seq 50); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.2; done

# CPU seconds (user + system) used so far by the gunicorn workers, and by this database's PostgreSQL
# backends: the machine is shared, so the CPU each checkout costs is steadier than checkouts per second.
cpu_seconds() {
    local pid ticks
    for pids in "$(pgrep -P "$(cat /tmp/bench-checkout-gunicorn.pid)")" "$(psql -h 127.0.0.1 -U postgres -Atc \
        "SELECT pid FROM pg_stat_activity WHERE datname = '$DB' AND pid <> pg_backend_pid()")"; do
        ticks=0
        for pid in $pids; do
            [[ -r /proc/$pid/stat ]] && ticks=$((ticks + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
        done
        echo -n "$ticks "
    done
}

sql() { psql -h 127.0.0.1 -U postgres -d "$DB" -Atc "$1"; }

for ANSWER in $CART_ANSWERS; do
    echo "== checkout load: $CONNECTIONS connections, ${DURATION} s, gunicorn 2 workers x $THREADS threads," \
        "add-to-cart answer: $ANSWER"
    LAST_ORDER=$(sql "SELECT coalesce(max(id), 0) FROM orders_order")
    LAST_MOVEMENT=$(sql "SELECT coalesce(max(id), 0) FROM catalog_stockmovement")
    BEFORE=$(cpu_seconds)
    /usr/bin/time -f "load generator CPU: %U s user + %S s system over %e s" \
        $PY benchmarks/checkout_load.py "http://127.0.0.1:$PORT" "$PREPARED" load "$DURATION" "$CONNECTIONS" \
        "$ANSWER" | tee /tmp/bench-checkout-load.txt
    AFTER=$(cpu_seconds)
    COMPLETED=$(awk '/^completed checkouts:/ {print $3}' /tmp/bench-checkout-load.txt)
    echo "$BEFORE $AFTER $COMPLETED $(getconf CLK_TCK)" | awk '{
        n = ($5 ? $5 : 1); web = ($3 - $1) / $6; db = ($4 - $2) / $6
        printf "server CPU: gunicorn workers %.1f s + PostgreSQL backends %.1f s = %.1f ms per completed checkout (%.1f + %.1f)\n",
            web, db, (web + db) * 1000 / n, web * 1000 / n, db * 1000 / n}'
    # Every 201 counted above must be a real order holding its stock.
    echo "written meanwhile: $(sql "SELECT count(*) FROM orders_order WHERE id > $LAST_ORDER") orders," \
        "$(sql "SELECT count(*) FROM catalog_stockmovement WHERE id > $LAST_MOVEMENT AND reason = 'reservation'")" \
        "stock reservations"
done
echo "== contention: 200 shoppers, one SKU with 10 units"
$PY benchmarks/checkout_load.py "http://127.0.0.1:$PORT" "$PREPARED" contention 200
