"""Catalog owns what is for sale: the category tree, products (listings) with their variants/SKUs, prices,
stock and tags, and the storefront pages that show them (home, category, product, seller shop, search).
It must not own carts, orders, payments or reviews' business rules; it exposes selectors for those apps and
a stock service they call."""
