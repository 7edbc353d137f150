"""Payments owns money movements: provider integrations (Stripe/localstripe), payment intents and their
states, signed webhooks, refunds, the double-entry ledger, commissions and seller payouts. It must not own
order states (it tells orders when money is confirmed) or the checkout flow itself."""
