"""Public, read-only catalog API: the category tree and the products a shopper may see.

Every queryset comes from ``catalog.selectors`` (one visibility rule for pages and API); the views
only parse, call the selector and serialize.
"""

import dataclasses

from django.core.files.storage import default_storage
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog import selectors
from catalog.api.filters import ProductFilter
from catalog.models import Product


class _CategoryRefSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.SlugField()


class _TagSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.SlugField()


@extend_schema_field(OpenApiTypes.URI)
class _MediaUrlField(serializers.Field):
    """The absolute URL of a stored file, from a ``FieldFile`` or a storage name (the listing
    querysets' ``cover_thumbnail``); null when there is none."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value) -> str | None:
        name = getattr(value, "name", value)
        if not name:
            return None
        url = default_storage.url(name)
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class _ProductImageSerializer(serializers.Serializer):
    url = _MediaUrlField(source="image")
    thumbnail_url = _MediaUrlField(source="thumbnail", allow_null=True)
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    alt_text = serializers.CharField()


class _SellerSummarySerializer(serializers.Serializer):
    shop_name = serializers.CharField()
    slug = serializers.SlugField()


class CategoryListApi(generics.ListAPIView):
    """The whole visible category tree, depth-first, unpaginated (it is small and read as a whole)."""

    permission_classes = [AllowAny]
    pagination_class = None
    filter_backends: list = []

    @extend_schema_serializer(component_name="CategoryListItem")
    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        name = serializers.CharField()
        slug = serializers.SlugField()
        depth = serializers.IntegerField()
        path = serializers.CharField()
        parent_slug = serializers.SlugField(allow_null=True)

    serializer_class = OutputSerializer

    def get_queryset(self):
        return selectors.category_list_visible().only("id", "name", "slug", "depth", "path")


class CategoryDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema_serializer(component_name="CategoryDetail")
    class OutputSerializer(CategoryListApi.OutputSerializer):
        description = serializers.CharField()
        children = _CategoryRefSerializer(many=True, source="visible_children")

    @extend_schema(responses=OutputSerializer)
    def get(self, request, slug: str):
        category = selectors.category_get_visible(slug=slug)
        if category is None:
            raise Http404(_("No such category."))
        category.visible_children = selectors.category_list_children(category=category)
        return Response(self.OutputSerializer(category).data)


class ProductListApi(generics.ListAPIView):
    """Visible products, narrowed by the storefront's facets (``catalog.filters``); newest first, or most
    relevant first for a search, unless ``ordering`` says otherwise. Sold-out products (``in_stock``
    false) are left out unless ``include_sold_out=true``. Prices are integer minor units."""

    permission_classes = [AllowAny]
    filterset_class = ProductFilter

    @extend_schema_serializer(component_name="ProductListItem")
    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        slug = serializers.SlugField()
        title = serializers.CharField()
        brand = serializers.CharField()
        condition = serializers.CharField()
        price_amount = serializers.IntegerField(help_text="Cheapest variant price, minor units.")
        compare_at_amount = serializers.IntegerField(allow_null=True)
        currency = serializers.CharField()
        rating_avg = serializers.DecimalField(max_digits=3, decimal_places=2, allow_null=True)
        rating_count = serializers.IntegerField()
        published_at = serializers.DateTimeField(allow_null=True)
        in_stock = serializers.BooleanField(help_text="False: sold out (no variant in stock).")
        seller = _SellerSummarySerializer()
        category = _CategoryRefSerializer()
        thumbnail_url = _MediaUrlField(
            source="cover_thumbnail", allow_null=True, help_text="Thumbnail of the first image, if any."
        )

    serializer_class = OutputSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no database reads
            return Product.objects.none()
        # Every stock state: the filterset's facets leave sold-out products out unless asked for.
        return selectors.product_list(filters=selectors.ProductFacetFilters(include_sold_out=True))


class ProductDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema_serializer(component_name="ProductDetail")
    class OutputSerializer(serializers.Serializer):
        class VariantSerializer(serializers.Serializer):
            id = serializers.IntegerField()
            sku = serializers.CharField()
            name = serializers.CharField()
            attributes = serializers.DictField()
            price_amount = serializers.IntegerField()
            compare_at_amount = serializers.IntegerField(allow_null=True)
            currency = serializers.CharField()
            in_stock = serializers.BooleanField()

        class SellerSerializer(_SellerSummarySerializer):
            kind = serializers.CharField()
            rating_avg = serializers.DecimalField(max_digits=3, decimal_places=2, allow_null=True)
            rating_count = serializers.IntegerField()

        id = serializers.IntegerField()
        slug = serializers.SlugField()
        title = serializers.CharField()
        description = serializers.CharField()
        brand = serializers.CharField()
        condition = serializers.CharField()
        price_amount = serializers.IntegerField(help_text="Cheapest variant price, minor units.")
        currency = serializers.CharField()
        rating_avg = serializers.DecimalField(max_digits=3, decimal_places=2, allow_null=True)
        rating_count = serializers.IntegerField()
        published_at = serializers.DateTimeField(allow_null=True)
        in_stock = serializers.BooleanField(help_text="False: sold out (no variant in stock).")
        attributes = serializers.DictField(
            help_text="Product-scope attribute values by code (numbers as JSON numbers); each variant "
            "carries its own variant-scope values."
        )
        tags = _TagSerializer(many=True, source="tags.all")
        variants = VariantSerializer(many=True, source="variants.all")
        images = _ProductImageSerializer(
            many=True, source="images.all", help_text="In order; the first is the cover."
        )
        seller = SellerSerializer()
        category = _CategoryRefSerializer()

    @extend_schema(responses=OutputSerializer)
    def get(self, request, slug: str):
        product = selectors.product_get_visible(slug=slug)
        if product is None:
            raise Http404(_("No such product."))
        return Response(self.OutputSerializer(product, context={"request": request}).data)


class ListingPagination(PageNumberPagination):
    """Page numbers as everywhere else, with the listing's count and page ids cached briefly (the
    products themselves are read live): see ``selectors.ListingPaginator``."""

    django_paginator_class = selectors.ListingPaginator


ProductListApi.pagination_class = ListingPagination


class ProductFacetsApi(generics.GenericAPIView):
    """Facet counts for a product listing: the same parameters as the product list (category, seller,
    q, and the facets themselves). Attribute facets are those the category defines (none without a category). Each facet is counted with every *other* facet applied, so a client
    can show how many products each further choice would give. Cached briefly per listing."""

    permission_classes = [AllowAny]
    filterset_class = ProductFilter  # for the schema's parameters; ``get`` validates with it itself
    pagination_class = None
    queryset = Product.objects.none()

    @extend_schema_serializer(component_name="ProductFacets")
    class OutputSerializer(serializers.Serializer):
        total = serializers.IntegerField(help_text="Products in the listing before any facet applies.")
        brands = serializers.ListField(child=serializers.DictField())
        conditions = serializers.ListField(child=serializers.DictField())
        seller_ratings = serializers.ListField(child=serializers.DictField())
        in_stock = serializers.DictField(allow_null=True)
        sold_out = serializers.DictField(
            allow_null=True, help_text="Sold-out products the other facets match (include_sold_out)."
        )
        attributes = serializers.ListField(child=serializers.DictField())

    @extend_schema(responses=OutputSerializer)
    def get(self, request):
        filterset = ProductFilter(request.GET, queryset=Product.objects.none(), request=request)
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        data = filterset.form.cleaned_data
        unfiltered = selectors.product_list_unfiltered(
            category=data.get("category"), seller=data.get("seller"), query=data.get("q") or ""
        )
        facets = selectors.product_facet_counts_cached(
            unfiltered, filters=filterset.facet_filters(), facet_attributes=filterset.facet_attributes
        )
        return Response(self.OutputSerializer(dataclasses.asdict(facets)).data)
