"""Cart and checkout: the shopper's cart (lines, quantities, accepted prices, the merge at sign-in), its
summary with live prices, promotions, tax and shipping options (selectors), and the checkout that turns it
into an order exactly once per idempotency key (services), with the cart and checkout pages and form.
Prices come from ``orders.pricing``; what happens to the order afterwards is ``orders.lifecycle``'s."""
