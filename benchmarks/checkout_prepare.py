"""Prepare the checkout benchmark: N signed-in shoppers (sessions made directly in the session store) and
K in-stock SKUs from approved sellers, written as JSON for benchmarks/checkout_load.py.

    DJANGO_SETTINGS_MODULE=marketplace.settings python benchmarks/checkout_prepare.py SHOPPERS SKUS OUT.json
"""

import json
import os
import secrets
import sys
from importlib import import_module
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from tqdm import tqdm  # noqa: E402

from accounts.models import User  # noqa: E402
from catalog.models import ProductVariant  # noqa: E402
from catalog.selectors import product_list_visible  # noqa: E402
from catalog.services import product_in_stock_refresh  # noqa: E402
from orders.models import CartLine  # noqa: E402


def main(shoppers: int, skus: int, out: str, contention_stock: int) -> None:
    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore
    existing = {u.email: u for u in User.objects.filter(email__startswith="bench-shopper-")}
    new = [
        User(email=f"bench-shopper-{i}@bench.invalid", password="!")  # noqa: S106  (unusable)
        for i in range(shoppers)
        if f"bench-shopper-{i}@bench.invalid" not in existing
    ]
    User.objects.bulk_create(new, batch_size=1000)
    users = list(User.objects.filter(email__startswith="bench-shopper-").order_by("pk")[:shoppers])
    CartLine.objects.filter(cart__user__in=users).delete()
    sessions = []
    for user in tqdm(users, desc="sessions", unit="shopper"):
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions.append({"sessionid": store.session_key, "csrftoken": secrets.token_hex(16)})
    visible = product_list_visible().filter(currency=settings.DEFAULT_CURRENCY).values("pk")
    variant_ids = list(
        ProductVariant.objects.filter(product__in=visible, currency=settings.DEFAULT_CURRENCY)
        .order_by("pk")
        .values_list("pk", flat=True)[: skus + 1]
    )
    # Plenty of stock for the load run; the last SKU is the contention one with exactly N units.
    ProductVariant.objects.filter(pk__in=variant_ids[:-1]).update(stock=1_000_000)
    ProductVariant.objects.filter(pk=variant_ids[-1]).update(stock=contention_stock)
    # Stock written directly: let the products' in_stock follow (a sold-out one is listed again).
    product_in_stock_refresh(
        product_ids=ProductVariant.objects.filter(pk__in=variant_ids).values_list("product_id", flat=True)
    )
    Path(out).write_text(
        json.dumps(
            {"sessions": sessions, "variants": variant_ids[:-1], "contention_variant": variant_ids[-1]}
        )
    )
    print(f"{len(sessions)} shoppers, {len(variant_ids) - 1} SKUs, contention SKU {variant_ids[-1]}")


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(os.environ.get("CONTENTION_STOCK", "10")))
