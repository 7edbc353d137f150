"""Only what every app needs: the ``Money`` value type and its formatting, ``ApplicationError``, base model
fields and the API error mapping. It owns no tables and knows nothing about shops, products or orders."""
