#!/usr/bin/env bash
# Ledger posting benchmark: ENTRIES realistic capture entries (two sellers per payment, 5-7 lines each)
# through payments.ledger.entries_post_batch in batches of BATCH, then SINGLE more through entry_post one
# transaction each, on PostgreSQL. Reports entries/s and lines/s.
#
#   benchmarks/ledger.sh [ENTRIES=20000] [BATCH=500] [SINGLE=1000]
#
# Uses a database of its own (BENCH_DB, default marketplace_bench_ledger): created and migrated when
# missing, never the other benchmarks' marketplace_bench. The orders and payments the entries point at
# are created once and kept; each run deletes its own entries at the end. BENCH_DROP=1 drops the database
# afterwards. Only 127.0.0.1; every run is bounded by ENTRIES + SINGLE.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

ENTRIES=${1:-20000}
BATCH=${2:-500}
SINGLE=${3:-1000}
DB=${BENCH_DB:-marketplace_bench_ledger}
scripts/ensure-services.sh >/dev/null

export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB
export SECRET_KEY=bench-not-secret-but-long-enough-0123456789abcdefghij ALLOWED_HOSTS=127.0.0.1 DEBUG=0
export CARRIER_WEBHOOK_SECRET=bench-carrier-secret-not-secret-0123456789
export LOG_LEVEL=WARNING
unset REDIS_URL
PY=.venv/bin/python

if ! psql -h 127.0.0.1 -U postgres -lqt | cut -d'|' -f1 | grep -qw "$DB"; then
    createdb -h 127.0.0.1 -U postgres "$DB"
fi
$PY manage.py migrate --noinput -v0
if [[ "${BENCH_DROP:-0}" == 1 ]]; then
    trap 'dropdb -h 127.0.0.1 -U postgres --if-exists --force "$DB"' EXIT
fi

echo "== ledger posting: $ENTRIES entries in batches of $BATCH, then $SINGLE one by one ($(git rev-parse --short HEAD 2>/dev/null || echo '?'))"
/usr/bin/time -f "wall %e s, CPU %U s user + %S s system (Python side; PostgreSQL runs on the same machine)" \
    $PY benchmarks/ledger.py "$ENTRIES" "$BATCH" "$SINGLE"
