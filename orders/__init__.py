"""Orders owns what shoppers bought: carts, checkout, the ``Order`` split into one ``SellerOrder`` per
seller with price/shipping snapshots, the order state machine, shipments and reviews. It must not own
stock (it calls catalog services to reserve it), money movements (payments) or returns (aftersales)."""
