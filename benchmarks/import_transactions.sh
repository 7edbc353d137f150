#!/usr/bin/env bash
# Online Retail import benchmark: the whole UCI Online Retail file (541,909 rows, 25,900 invoices) through
# `manage.py import_transactions` into a fresh PostgreSQL database, timed; the same command again, which
# must add nothing; `ledger_check`; then the analytics rebuild of the imported days, timed on its own.
#
#   benchmarks/import_transactions.sh [FILE]    (default /work/shared/data/online-retail/online_retail.csv.gz)
#
# Uses the database BENCH_DB (default marketplace_import), dropped and created afresh at the start: it
# holds only what this script puts there. BENCH_DROP=1 drops it at the end. DEBUG=1 as the issue's command
# runs it. Only 127.0.0.1; every step is bounded by the file.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

FILE=${1:-/work/shared/data/online-retail/online_retail.csv.gz}
DB=${BENCH_DB:-marketplace_import}
scripts/ensure-services.sh >/dev/null

export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB DEBUG=1 LOG_LEVEL=WARNING
unset REDIS_URL CELERY_BROKER_URL CELERY_RESULT_BACKEND
PY=.venv/bin/python
TIME_FORMAT="wall %e s, CPU %U s user + %S s system, max RSS %M KB (Python side; PostgreSQL runs on the same machine)"

dropdb -h 127.0.0.1 -U postgres --if-exists --force "$DB"
createdb -h 127.0.0.1 -U postgres "$DB"
$PY manage.py migrate --noinput -v0
if [[ "${BENCH_DROP:-0}" == 1 ]]; then
    trap 'dropdb -h 127.0.0.1 -U postgres --if-exists --force "$DB"' EXIT
fi

echo "== import_transactions $FILE into $DB ($(git rev-parse --short HEAD 2>/dev/null || echo '?')), $(nproc) cores"
echo "before: $(uptime)"
/usr/bin/time -f "first run: $TIME_FORMAT" $PY manage.py import_transactions --file "$FILE" --no-rollup --no-progress
echo "after:  $(uptime)"

echo "== the same again: adds nothing"
/usr/bin/time -f "second run: $TIME_FORMAT" $PY manage.py import_transactions --file "$FILE" --no-rollup --no-progress
$PY manage.py ledger_check

echo "== analytics rebuild of the imported days"
SPAN=$($PY manage.py shell -v0 -c "
from datetime import timedelta
from django.db.models import Max, Min
from orders.models import Order
span = Order.objects.filter(number__startswith='OR-').aggregate(first=Min('placed_at'), last=Max('placed_at'))
print((span['first'] - timedelta(days=1)).date(), (span['last'] + timedelta(days=1)).date())
")
read -r FROM TO <<<"$SPAN"
/usr/bin/time -f "rollup: $TIME_FORMAT" $PY manage.py analytics_rebuild --from "$FROM" --to "$TO" --no-progress
echo "after:  $(uptime)"
