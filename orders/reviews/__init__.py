"""Reviews and reputation: the shopper's verified-purchase product reviews and seller ratings for delivered
orders, the seller's reply to a review, and the product and seller rating aggregates they keep up to date
(services, selectors), with the shopper's review pages ("reviews" namespace, ``urls``), the seller portal's
review list and reply pages (``urls_seller``, composed into the "seller" namespace) and their forms."""
