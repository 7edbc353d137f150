"""The order lifecycle after checkout: the state machine of orders and seller orders (``transitions``), the
payment confirmation, cancellations, receipt confirmation and the periodic expiry and auto-completion
(services, Celery ``tasks``), the reason codes and notifications they write and send, the reads of placed
orders for shoppers and sellers (selectors), and the shopper's order pages and the seller portal's order
pages (``urls``, ``urls_seller``). Shipping a seller's part is ``orders.shipping``'s."""
