#!/usr/bin/env bash
# Analytics dashboards benchmark (issue 14): two years of marketplace history in a database of its own,
# the rollups rebuilt over it, then every operator and seller analytics page timed for a 90-day and a
# 2-year range.
#
#   benchmarks/analytics.sh [SCALE=1] [REQUESTS=40]
#
# SCALE 1 is 1,000,000 orders (~3M lines), 2,000 sellers, 200,000 customers and 10,000,000 events over
# the 730 days ending yesterday (benchmarks/analytics_data.py, COPY); 0.1 is a tenth of each.
# Steps, each timed: generate; one day's rollup (`rollup_day`, run twice on a busy day: first write,
# then a replace); the full rebuild (`manage.py analytics_rebuild --from --to`, sequential: a day's
# new/returning visitors and order attribution read the days before it, so the days are not run in
# parallel); then gunicorn (2 sync workers, DEBUG off) and benchmarks/analytics_pages.py (REQUESTS
# sequential requests per page after 2 warm-ups, as a signed-in operator and as the busiest seller, with
# `uptime` and a /healthz reference around them; SQL queries per page in-process).
# The dashboards have no page cache (nothing to switch off); REDIS_URL db 9 holds only the sessions.
#
# BENCH_REUSE=1 keeps the database (and its rollups) for the next run and skips generating (and the
# rebuild, when all 730 days are rolled up) when it exists; BENCH_DB names another database;
# BENCH_SKIP_REBUILD=1 skips the rebuild.
# Needs: .venv with requirements.txt, PostgreSQL + Redis on 127.0.0.1 (scripts/ensure-services.sh).
# Traffic goes only to 127.0.0.1; every loop is bounded; gunicorn is stopped by its PID at the end.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SCALE=${1:-1}
REQUESTS=${2:-40}
PORT=${BENCH_PORT:-8814}
DB=${BENCH_DB:-marketplace_bench_analytics}
scripts/ensure-services.sh

export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB
export REDIS_URL=redis://127.0.0.1:6379/9
export SECRET_KEY=bench-not-secret-but-long-enough-0123456789abcdefghij ALLOWED_HOSTS=127.0.0.1 DEBUG=0
export CARRIER_WEBHOOK_SECRET=bench-carrier-secret-not-secret-0123456789
export LOG_LEVEL=WARNING
# Two years of events are rolled up: keep them all (the default retention is 400 days).
export ANALYTICS_EVENT_RETENTION_DAYS=800
PY=.venv/bin/python
RUN_DIR=$(mktemp -d -t bench-analytics.XXXXXX)
echo "logs and PID files in $RUN_DIR; scale=$SCALE commit=$(git rev-parse --short HEAD)"

exists() { psql -h 127.0.0.1 -U postgres -lqt | cut -d'|' -f1 | grep -qw "$DB"; }
cleanup() {
    [[ -f $RUN_DIR/gunicorn.pid ]] && kill "$(cat "$RUN_DIR/gunicorn.pid")" 2>/dev/null || true
    sleep 1
    [[ "${BENCH_REUSE:-0}" == 1 ]] || dropdb -h 127.0.0.1 -U postgres --if-exists --force "$DB"
}
trap cleanup EXIT

redis-cli -n 9 flushdb >/dev/null
if [[ "${BENCH_REUSE:-0}" == 1 ]] && exists; then
    echo "reusing $DB"
else
    dropdb -h 127.0.0.1 -U postgres --if-exists --force "$DB"
    createdb -h 127.0.0.1 -U postgres "$DB"
    $PY manage.py migrate --noinput -v0
    echo "== generate (uptime: $(uptime))"
    /usr/bin/time -f "generate: %e s wall, %M KB max RSS" $PY benchmarks/analytics_data.py "$SCALE" \
        | tee "$RUN_DIR/generate.log"
fi
psql -h 127.0.0.1 -U postgres -d "$DB" -Atc "SELECT 'orders ' || (SELECT count(*) FROM orders_order) ||
    ', lines ' || (SELECT count(*) FROM orders_orderline) || ', events ' || (SELECT count(*) FROM analytics_event)
    || ', database ' || pg_size_pretty(pg_database_size('$DB'))"
read -r FIRST LAST < <($PY manage.py shell -v 0 -c "
from datetime import timedelta
from analytics.rollups.calendar import today
print(today() - timedelta(days=730), today() - timedelta(days=1))")

# One day's rollup: the busiest day of the last month, first write then a replace (rollup_day also
# rebuilds that day's month rows).
echo "== one day (uptime: $(uptime))"
$PY manage.py shell -v 0 -c "
import time
from datetime import timedelta
from django.db.models import Count
from django.db.models.functions import TruncDate
from analytics.rollups.calendar import today
from analytics.rollups.services import rollup_day
from orders.models import Order
busiest = (Order.objects.filter(placed_at__date__gte=today() - timedelta(days=30)).annotate(d=TruncDate('placed_at'))
           .values('d').annotate(n=Count('id')).order_by('-n').first())
for run in (1, 2):
    began = time.monotonic()
    rollup_day(day=busiest['d'])
    print(f\"rollup_day {busiest['d']} ({busiest['n']} orders) run {run}: {time.monotonic() - began:.2f} s\")
"

ROLLED=$(psql -h 127.0.0.1 -U postgres -d "$DB" -Atc "SELECT count(*) FROM analytics_rollupday WHERE day >= '$FIRST'")
if [[ $ROLLED -lt 730 && "${BENCH_SKIP_REBUILD:-0}" != 1 ]]; then
    echo "== rebuild $FIRST .. $LAST (uptime: $(uptime))"
    /usr/bin/time -f "rebuild: %e s wall, %U s user" $PY manage.py analytics_rebuild --from "$FIRST" --to "$LAST" \
        --no-progress
    echo "after the rebuild: $(uptime)"
    psql -h 127.0.0.1 -U postgres -d "$DB" -c "VACUUM ANALYZE" >/dev/null
    psql -h 127.0.0.1 -U postgres -d "$DB" -Atc "SELECT 'slowest days: ' || string_agg(day || ' ' || duration_ms || ' ms', ', ')
        FROM (SELECT day, duration_ms FROM analytics_rollupday ORDER BY duration_ms DESC LIMIT 3) s;
        SELECT 'median day: ' || percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) || ' ms over ' || count(*)
        || ' days' FROM analytics_rollupday"
fi

.venv/bin/gunicorn marketplace.wsgi --bind 127.0.0.1:$PORT --workers 2 --access-logfile /dev/null \
    --error-logfile "$RUN_DIR/gunicorn.log" --pid "$RUN_DIR/gunicorn.pid" --daemon
for _ in $(seq 50); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.2; done
$PY benchmarks/analytics_pages.py "http://127.0.0.1:$PORT" "$REQUESTS" "$FIRST" "$LAST" | tee "$RUN_DIR/pages.log"
