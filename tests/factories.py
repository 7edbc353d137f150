"""factory_boy factories for the whole suite. Build the smallest valid object; override what a test cares about."""

import factory
from django.utils import timezone

from accounts.models import Address, SellerProfile, User
from catalog import search
from catalog.models import Category, Product, ProductVariant, Tag
from catalog.services import product_in_stock_refresh


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    display_name = factory.Sequence(lambda n: f"User {n}")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


class OperatorFactory(UserFactory):
    is_staff = True
    is_superuser = True


class SellerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SellerProfile

    user = factory.SubFactory(UserFactory)
    shop_name = factory.Sequence(lambda n: f"Shop {n}")
    slug = factory.Sequence(lambda n: f"shop-{n}")
    status = SellerProfile.Status.APPROVED


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Address

    user = factory.SubFactory(UserFactory)
    full_name = "Ada Lovelace"
    line1 = "12 Analytical Row"
    city = "London"
    postal_code = "N1 9GU"
    country = "GB"


def category_create(name: str, *, parent: Category | None = None, slug: str | None = None) -> Category:
    """Categories are tree nodes: treebeard needs add_root/add_child, not a plain create()."""
    slug = slug or name.lower().replace(" ", "-")
    if parent is None:
        return Category.objects.add_root({"name": name, "slug": slug})
    return Category.objects.add_child(parent, {"name": name, "slug": slug})


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"tag{n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower())


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    seller = factory.SubFactory(SellerProfileFactory)
    category = factory.LazyFunction(
        lambda: category_create("Things", slug=f"things-{Category.objects.count()}")
    )
    title = factory.Sequence(lambda n: f"Product {n}")
    slug = factory.Sequence(lambda n: f"product-{n}")
    description = "A perfectly ordinary product."
    brand = "Acme"
    status = Product.Status.ACTIVE
    price_amount = 1999
    currency = "USD"
    published_at = factory.LazyFunction(timezone.now)
    # Listed as buyable, like most products a test wants; a ProductVariantFactory sets it from the SKUs.
    in_stock = True

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        # What the listing services do after every write: keep the stored search document current.
        if create:
            search.product_search_vector_refresh(product_ids=[instance.pk])


class ProductVariantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductVariant

    product = factory.SubFactory(ProductFactory)
    sku = factory.Sequence(lambda n: f"SKU-{n:06d}")
    name = "Default"
    price_amount = factory.LazyAttribute(lambda o: o.product.price_amount)
    currency = factory.LazyAttribute(lambda o: o.product.currency)
    stock = 10

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        # What the stock services do whenever a SKU's stock changes: keep the product's in_stock current.
        if create:
            product_in_stock_refresh(product_ids=[instance.product_id])
