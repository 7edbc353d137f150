"""Shipping: the sellers' shipping methods (the rules checkout prices shipping with), shipping a seller's
part in one or more parcels, tracking updates typed by the seller or posted by a carrier's webhook, and the
seller's processing and cancelling of a part (services, selectors); the seller portal's shipping pages
(``urls_seller``, composed into the "seller" namespace), their forms, and the carriers' signed webhook
(``urls_carrier``, the "carrier" namespace)."""
