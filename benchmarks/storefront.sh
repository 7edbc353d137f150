#!/usr/bin/env bash
# Storefront load benchmark: seed N products on PostgreSQL, serve with gunicorn (2 workers, DEBUG off),
# and run wrk for DURATION against home, a category page with two facets, a product page and a search.
#
#   benchmarks/storefront.sh [PRODUCTS=100000] [DURATION=20s] [CONNECTIONS=8]
#
# Needs: .venv with requirements.txt, PostgreSQL + Redis on 127.0.0.1 (scripts/ensure-services.sh), wrk.
# Traffic goes only to 127.0.0.1; every run is bounded by DURATION; the database is dropped at the end.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PRODUCTS=${1:-100000}
DURATION=${2:-20s}
CONNECTIONS=${3:-8}
PORT=${BENCH_PORT:-8811}
DB=marketplace_bench
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
scripts/ensure-services.sh

export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB
export REDIS_URL=redis://127.0.0.1:6379/5
export SECRET_KEY=bench-not-secret-but-long-enough-0123456789abcdef ALLOWED_HOSTS=127.0.0.1 DEBUG=0
export LOG_LEVEL=WARNING
PY=.venv/bin/python

dropdb -h 127.0.0.1 -U postgres --if-exists $DB
createdb -h 127.0.0.1 -U postgres $DB
redis-cli -n 5 flushdb >/dev/null
$PY manage.py migrate --noinput -v0
$PY manage.py seed_demo --products "$PRODUCTS" --no-progress | tail -n 5

.venv/bin/gunicorn marketplace.wsgi --bind 127.0.0.1:$PORT --workers 2 --access-logfile /dev/null \
    --error-logfile /tmp/bench-gunicorn.log --pid /tmp/bench-gunicorn.pid --daemon
trap 'kill "$(cat /tmp/bench-gunicorn.pid)" 2>/dev/null || true; sleep 1; dropdb -h 127.0.0.1 -U postgres --if-exists --force '$DB'' EXIT
for _ in $(seq 50); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.2; done

# Pick real targets from the seeded data: the biggest leaf category, its top brand, a product, a word.
read -r CATEGORY BRAND PRODUCT WORD < <($PY - <<'PY'
import os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
django.setup()
from django.db.models import Count
from catalog.models import Product
top = Product.objects.values("category__slug").annotate(n=Count("id")).order_by("-n").first()
brand = (Product.objects.filter(category__slug=top["category__slug"]).values("brand")
         .annotate(n=Count("id")).order_by("-n").first())
product = Product.objects.filter(status="active").order_by("id").first()
print(top["category__slug"], brand["brand"].replace(" ", "+"), product.slug, product.title.split()[-1].lower())
PY
)

declare -A URLS=(
    [home]="/"
    [category_2_facets]="/c/$CATEGORY/?brand=$BRAND&in_stock=true"
    [product]="/p/$PRODUCT/"
    [search]="/search/?q=$WORD"
)
echo
echo "products=$PRODUCTS duration=$DURATION connections=$CONNECTIONS commit=$(git rev-parse --short HEAD)"
printf '%-20s %10s %10s %10s %s\n' page "req/s" p50 p99 url
for name in home category_2_facets product search; do
    url="http://127.0.0.1:$PORT${URLS[$name]}"
    curl -fs -o /dev/null "$url" || { echo "$name: $url does not answer 200" >&2; exit 1; }
    wrk -t2 -c"$CONNECTIONS" -d5s "$url" >/dev/null  # warm-up, thrown away
    out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$url")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1=="50%" {print $2}' <<<"$out")
    p99=$(awk '$1=="99%" {print $2}' <<<"$out")
    errors=$(grep -E "Non-2xx|Socket errors" <<<"$out" || true)
    printf '%-20s %10s %10s %10s %s %s\n' "$name" "$rps" "$p50" "$p99" "${URLS[$name]}" "$errors"
done
