#!/usr/bin/env bash
# Storefront load benchmark: seed N products on PostgreSQL, serve with gunicorn (2 workers, DEBUG off),
# and run wrk for DURATION against home, a category page with two facets, a product page and a search.
#
#   benchmarks/storefront.sh [PRODUCTS=100000] [DURATION=20s] [CONNECTIONS=8]
#
# Two kinds of runs per page type: one URL again and again (what the targets are about: a popular
# listing, served from the listing cache after its first request), and "mixed" runs that walk through
# 500 different category+facet or search URLs (benchmarks/rotate.lua), so most requests miss the cache.
# BENCH_REUSE=1 keeps and reuses an already seeded database (skips the seeding, which takes minutes).
#
# Needs: .venv with requirements.txt, PostgreSQL + Redis on 127.0.0.1 (scripts/ensure-services.sh), wrk.
# Traffic goes only to 127.0.0.1; every run is bounded by DURATION; the database is dropped at the end.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PRODUCTS=${1:-100000}
DURATION=${2:-20s}
CONNECTIONS=${3:-8}
PORT=${BENCH_PORT:-8811}
DB=${BENCH_DB:-marketplace_bench}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
scripts/ensure-services.sh

export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB
export REDIS_URL=redis://127.0.0.1:6379/5
export SECRET_KEY=bench-not-secret-but-long-enough-0123456789abcdefghij ALLOWED_HOSTS=127.0.0.1 DEBUG=0
export CARRIER_WEBHOOK_SECRET=bench-carrier-secret-not-secret-0123456789
export LOG_LEVEL=WARNING
PY=.venv/bin/python

redis-cli -n 5 flushdb >/dev/null
if [[ "${BENCH_REUSE:-0}" == 1 ]] && psql -h 127.0.0.1 -U postgres -lqt | cut -d'|' -f1 | grep -qw $DB; then
    echo "reusing the seeded database $DB"
    $PY manage.py migrate --noinput -v0
else
    dropdb -h 127.0.0.1 -U postgres --if-exists $DB
    createdb -h 127.0.0.1 -U postgres $DB
    $PY manage.py migrate --noinput -v0
    $PY manage.py seed_demo --products "$PRODUCTS" --no-progress | tail -n 5
fi

.venv/bin/gunicorn marketplace.wsgi --bind 127.0.0.1:$PORT --workers 2 --access-logfile /dev/null \
    --error-logfile /tmp/bench-gunicorn.log --pid /tmp/bench-gunicorn.pid --daemon
cleanup() {
    kill "$(cat /tmp/bench-gunicorn.pid)" 2>/dev/null || true
    sleep 1
    [[ "${BENCH_REUSE:-0}" == 1 ]] || dropdb -h 127.0.0.1 -U postgres --if-exists --force $DB
}
trap cleanup EXIT
for _ in $(seq 50); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.2; done

# Pick real targets from the seeded data: the biggest leaf category, its top brand, a product, a word;
# and, for the mixed runs, 500 category pages with two facets and 500 searches.
PATHS_DIR=$(mktemp -d)
read -r CATEGORY BRAND PRODUCT WORD < <($PY - "$PATHS_DIR" <<'PY'
import os, random, sys, urllib.parse, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
django.setup()
from django.db.models import Count
from catalog.models import Product
top = Product.objects.values("category__slug").annotate(n=Count("id")).order_by("-n").first()
brand = (Product.objects.filter(category__slug=top["category__slug"]).values("brand")
         .annotate(n=Count("id")).order_by("-n").first())
product = Product.objects.filter(status="active").order_by("id").first()
print(top["category__slug"], brand["brand"].replace(" ", "+"), product.slug, product.title.split()[-1].lower())
rng = random.Random(7)
pairs = list(Product.objects.filter(status="active").exclude(brand="").values_list("category__slug", "brand")
             .distinct().order_by("category__slug", "brand"))
sorts = ["", "&sort=price-asc", "&sort=best-selling", "&sort=rating"]
with open(os.path.join(sys.argv[1], "category"), "w") as out:
    for slug, brand_name in rng.sample(pairs, min(500, len(pairs))):
        out.write(f"/c/{slug}/?brand={urllib.parse.quote_plus(brand_name)}&in_stock=true{rng.choice(sorts)}\n")
words = sorted({w.lower() for t in Product.objects.order_by("?").values_list("title", flat=True)[:3000]
                for w in t.split() if w.isalpha() and len(w) > 3})
with open(os.path.join(sys.argv[1], "search"), "w") as out:
    for word in rng.sample(words, min(500, len(words))):
        out.write(f"/search/?q={urllib.parse.quote_plus(word)}\n")
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
report() {  # name, url-or-label, wrk output
    local rps p50 p99 errors
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$3")
    p50=$(awk '$1=="50%" {print $2}' <<<"$3")
    p99=$(awk '$1=="99%" {print $2}' <<<"$3")
    errors=$(grep -E "Non-2xx|Socket errors|non-2xx: [1-9]" <<<"$3" || true)
    printf '%-20s %10s %10s %10s %s %s\n' "$1" "$rps" "$p50" "$p99" "$2" "$errors"
}
for name in home category_2_facets product search; do
    url="http://127.0.0.1:$PORT${URLS[$name]}"
    curl -fs -o /dev/null "$url" || { echo "$name: $url does not answer 200" >&2; exit 1; }
    wrk -t2 -c"$CONNECTIONS" -d5s "$url" >/dev/null  # warm-up, thrown away
    report "$name" "${URLS[$name]}" "$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$url")"
done
for name in category search; do
    # No warm-up: each of the 500 URLs is new to the cache on its first request.
    out=$(WRK_PATHS="$PATHS_DIR/$name" wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency \
        -s benchmarks/rotate.lua "http://127.0.0.1:$PORT")
    report "${name}_mixed" "500 URLs ($PATHS_DIR/$name)" "$out"
done
