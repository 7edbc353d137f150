"""Promotions: sellers' coupons, flash sales and spend tiers — their rules read for pricing (selectors feed
``orders.pricing``), the counters a checkout takes and an expiry or cancellation gives back, safe under
concurrency (services), and the seller portal's pages to create, edit and stop them (``urls_seller``,
composed into the "seller" namespace, with their forms)."""
