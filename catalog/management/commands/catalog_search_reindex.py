"""``manage.py catalog_search_reindex``: rebuild every product's stored search document (PostgreSQL)."""

from django.core.management.base import BaseCommand
from django.db import connection
from tqdm import tqdm

from catalog import search
from catalog.models import Product


class Command(BaseCommand):
    help = (
        "Rebuild Product.search_vector for all products in batches, e.g. after a bulk load that bypassed "
        "the catalog services. Does nothing on databases without full-text search (SQLite)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument("--no-progress", action="store_true", help="Do not draw a progress bar.")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            self.stdout.write("Nothing to do: search documents are stored on PostgreSQL only.")
            return
        total = Product.objects.count()
        disable = options["no_progress"] or options["verbosity"] == 0
        with tqdm(total=total, desc="search index", unit=" products", disable=disable) as bar:
            done = search.product_search_vector_reindex(batch_size=options["batch_size"], on_batch=bar.update)
        self.stdout.write(self.style.SUCCESS(f"Rebuilt the search document of {done:,} products."))
