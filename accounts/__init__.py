"""Accounts owns who people are: the e-mail-login ``User``, their roles (shopper, seller, operator), the
``SellerProfile`` a shopper opens to sell (C2C) and an operator approves, and the shopper's address book.
It also provides the per-audience permission mixins other apps' views use. It must not own what people
*do* — listings, orders, payments and events belong to their own apps."""
