#!/usr/bin/env bash
# Webhook ingestion benchmark: how many signed Stripe events per second /payments/webhooks/stripe/ accepts
# and stores (signature check, one INSERT, enqueue to Redis) with gunicorn 2 sync workers on PostgreSQL.
# Processing is asynchronous: REDIS_URL is set, so each event's task goes to the broker; no worker runs
# during the measurement (the queue is emptied afterwards).
#
#   benchmarks/webhooks.sh [DURATION_S=20] [CONNECTIONS=16] [RUNS=2]
#
# Every event has its own id, so every accepted one is a new row; "stored/s" counts the rows the run added.
# The per-IP rate limit is lifted for the run (all traffic comes from 127.0.0.1). Uses the database
# BENCH_DB (default marketplace_bench; created and migrated if missing, only the benchmark's own events
# are deleted afterwards) and Redis DB 9. Traffic goes only to 127.0.0.1; every run is bounded.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

DURATION=${1:-20}
CONNECTIONS=${2:-16}
RUNS=${3:-2}
THREADS=2
PORT=${BENCH_PORT:-8814}
DB=${BENCH_DB:-marketplace_bench}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
scripts/ensure-services.sh >/dev/null

export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB
export REDIS_URL=redis://127.0.0.1:6379/9
export SECRET_KEY=bench-not-secret-but-long-enough-0123456789abcdefghij ALLOWED_HOSTS=127.0.0.1 DEBUG=0
export CARRIER_WEBHOOK_SECRET=bench-carrier-secret-not-secret-0123456789
export LOG_LEVEL=WARNING EMAIL_URL=dummymail://
export PAYMENT_PROVIDER=stripe STRIPE_SECRET_KEY=sk_test_bench STRIPE_PUBLISHABLE_KEY=pk_test_bench
export STRIPE_WEBHOOK_SECRET=whsec_bench_webhooks STRIPE_WEBHOOK_RATE_LIMIT=100000000
PY=.venv/bin/python

if ! psql -h 127.0.0.1 -U postgres -lqt | cut -d'|' -f1 | grep -qw "$DB"; then
    createdb -h 127.0.0.1 -U postgres "$DB"
fi
$PY manage.py migrate --noinput -v0
redis-cli -n 9 flushdb >/dev/null

RUN_ID=$(date +%s)
EVENTS=$(mktemp --suffix=.events)
LOG=/tmp/bench-webhooks-gunicorn.log
PIDFILE=/tmp/bench-webhooks-gunicorn.pid
cleanup() {
    [[ -f $PIDFILE ]] && kill "$(cat $PIDFILE)" 2>/dev/null || true
    rm -f "$EVENTS"
    psql -h 127.0.0.1 -U postgres -d "$DB" -qc \
        "DELETE FROM payments_webhookevent WHERE event_id LIKE 'evt_bench_%'" >/dev/null || true
    redis-cli -n 9 flushdb >/dev/null || true
}
trap cleanup EXIT

.venv/bin/gunicorn marketplace.wsgi --bind 127.0.0.1:$PORT --workers 2 --access-logfile /dev/null \
    --error-logfile $LOG --pid $PIDFILE --daemon
for _ in $(seq 50); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.2; done

web_cpu() {  # CPU seconds (user + system) used so far by gunicorn's worker processes
    local total=0 ticks
    ticks=$(getconf CLK_TCK)
    for pid in $(pgrep -P "$(cat $PIDFILE)"); do
        total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
    done
    echo "$total $ticks"
}

stored() {
    psql -h 127.0.0.1 -U postgres -d "$DB" -Atc \
        "SELECT count(*) FROM payments_webhookevent WHERE event_id LIKE 'evt_bench_${RUN_ID}_%'"
}

# Enough distinct events that no thread repeats one at up to ~1,500 events/s; each run gets its own,
# freshly signed (signatures are only good for STRIPE_WEBHOOK_TOLERANCE_SECONDS).
COUNT=$(( (DURATION + 5) * 1500 ))
export WRK_EVENTS=$EVENTS WRK_THREADS=$THREADS
events_for() {  # events_for LABEL: write $COUNT new signed events with ids evt_bench_<run>_<LABEL>_<n>
    $PY benchmarks/webhooks_events.py "$COUNT" "$STRIPE_WEBHOOK_SECRET" "${RUN_ID}_$1" "$EVENTS"
}

# A short warm-up (connections, imports in the workers); its events are not counted.
events_for warmup
wrk -t$THREADS -c$CONNECTIONS -d3s -s benchmarks/webhooks.lua "http://127.0.0.1:$PORT" >/dev/null
for run in $(seq "$RUNS"); do
    events_for "$run"
    before=$(stored)
    cpu_before=$(web_cpu)
    echo "== run $run: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, gunicorn 2 sync workers, DEBUG=0, PostgreSQL + Redis broker"
    started=$(date +%s.%N)
    wrk -t$THREADS -c$CONNECTIONS -d"${DURATION}s" --latency -s benchmarks/webhooks.lua "http://127.0.0.1:$PORT"
    ended=$(date +%s.%N)
    after=$(stored)
    cpu_after=$(web_cpu)
    queued=$(redis-cli -n 9 llen celery)
    $PY - "$before" "$after" "$started" "$ended" "$queued" "$cpu_before" "$cpu_after" "$(uptime)" <<'PY'
import sys
before, after = int(sys.argv[1]), int(sys.argv[2])
seconds, queued = float(sys.argv[4]) - float(sys.argv[3]), int(sys.argv[5])
(ticks_before, hz), (ticks_after, _hz) = [tuple(map(int, arg.split())) for arg in sys.argv[6:8]]
stored = after - before
cpu_ms = (ticks_after - ticks_before) / hz * 1000 / max(stored, 1)
print(f"stored: {stored} new events in {seconds:.1f} s = {stored / seconds:.0f} events/s; "
      f"{queued} processing tasks waiting in the broker")
print(f"web workers' CPU: {cpu_ms:.2f} ms per stored event; machine:{sys.argv[8].split('load')[-1]}")
PY
done
