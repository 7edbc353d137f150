"""Aftersales owns what happens after delivery: return and refund requests, disputes and support tickets
with their SLAs. It must not move money itself (it asks payments to refund) nor change stock directly (it
asks catalog to restock)."""
