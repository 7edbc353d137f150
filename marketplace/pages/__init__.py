"""The composition layer: pages that show several apps at once.

A domain app's view shows that app's data and offers a hook (``*_context_extra``) for what others add;
the page mounted at the URL is a subclass here that fills the hook from the other apps' selectors. So
the product page (catalog) gets its reviews (orders), the seller dashboard (catalog) its orders to ship
(orders), the shopper's and the seller's order pages (orders) their refunds and the seller's its
commission (payments) — and no domain app imports a peer's views or a higher app at all. ``marketplace.urls_shop`` and ``marketplace.urls_seller`` mount
these pages under the apps' URL names.
"""
