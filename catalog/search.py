"""Product search: which backend matches and ranks a shopper's words, and what to suggest when nothing does.

On PostgreSQL a weighted full-text vector (title A, brand and tags B, category name C, description D)
is ranked with ``ts_rank`` plus the trigram word similarity of the title, so a one-letter typo still
finds the product. Elsewhere (SQLite in development and tests) every word must appear somewhere, and a
title match ranks first. Both annotate ``relevance`` for ``ProductSort.RELEVANCE`` to order by.

Only ``django.contrib.postgres`` expressions and indexes are used; the app itself is not installed.
"""

from __future__ import annotations

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorExact,
    TrigramWordSimilarity,
)
from django.db import connections
from django.db.models import (
    Case,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast

from catalog.models import Category, Product, Tag

SEARCH_CONFIG = "english"
# A title matches a typo when pg_trgm's word_similarity_threshold (default 0.6) is reached: the
# ``%>`` operator reads the server setting, which is what lets the trigram GIN index serve it.
# Looser, for "Did you mean …?" once nothing matched at all.
SUGGESTION_MIN_SIMILARITY = 0.3
SUGGESTION_LIMIT = 3


def search_backend(queryset: QuerySet) -> str:
    """``"postgresql"`` where full-text search and pg_trgm exist, ``"basic"`` everywhere else."""
    return "postgresql" if connections[queryset.db].vendor == "postgresql" else "basic"


def product_columns_vector() -> SearchVector:
    """The weighted vector of the product's own columns. The functional GIN index in
    ``Product.Meta.indexes`` is built on exactly this expression, so matches on it can use the index."""
    return (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("brand", weight="B", config=SEARCH_CONFIG)
        + SearchVector("description", weight="D", config=SEARCH_CONFIG)
    )


def _tag_names() -> Subquery:
    """All tag names of the product as one space-separated string (a correlated subquery, no join)."""
    return Subquery(
        Tag.objects.filter(products=OuterRef("pk"))
        .order_by()
        .values("products")
        .annotate(names=StringAgg("name", delimiter=" "))
        .values("names")[:1]
    )


def _any_word(words: list[str]) -> SearchQuery:
    any_word = SearchQuery(words[0], search_type="plain", config=SEARCH_CONFIG)
    for word in words[1:]:
        any_word |= SearchQuery(word, search_type="plain", config=SEARCH_CONFIG)
    return any_word


def _qs_search_postgresql(queryset: QuerySet[Product], *, words: list[str], query: str) -> QuerySet[Product]:
    """Two steps, so the indexes do the finding and the weighted vector only ranks a few rows:

    1. candidates: any word in the product's columns (functional GIN index), in a tag or the category
       name (small tables, then the primary/foreign key), or a title close to the query (trigram GIN);
    2. the candidates whose whole document (columns + tags + category) matches the query as a
       ``websearch`` query (every word, "quoted phrases", -exclusions), or whose title is that close.
    """
    search_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
    any_word = _any_word(words)
    title_close = TrigramWordSimilar(F("title"), Value(query))
    tagged = Product.tags.through.objects.filter(
        SearchVectorExact(SearchVector("tag__name", config=SEARCH_CONFIG), any_word)
    ).values("product_id")
    categories = Category.objects.filter(
        SearchVectorExact(SearchVector("name", config=SEARCH_CONFIG), any_word)
    ).values("pk")
    # A UNION of id sets rather than ORed conditions: each branch can then use its own index.
    candidates = (
        Product.objects.filter(SearchVectorExact(product_columns_vector(), any_word))
        .values("pk")
        .union(
            tagged,
            Product.objects.filter(category_id__in=categories).values("pk"),
            Product.objects.filter(title_close).values("pk"),
        )
    )
    document = (
        product_columns_vector()
        + SearchVector(_tag_names(), weight="B", config=SEARCH_CONFIG)
        + SearchVector("category__name", weight="C", config=SEARCH_CONFIG)
    )
    return (
        queryset.filter(pk__in=candidates)
        .filter(Q(SearchVectorExact(document, search_query)) | Q(title_close))
        .annotate(
            relevance=Cast(SearchRank(document, search_query), FloatField())
            + TrigramWordSimilarity(Value(query), "title")
        )
    )


def _qs_search_basic(queryset: QuerySet[Product], *, words: list[str], query: str) -> QuerySet[Product]:
    score = Case(When(title__iexact=query, then=Value(100.0)), default=Value(0.0), output_field=FloatField())
    for word in words:
        tag_match = Exists(
            Product.tags.through.objects.filter(product_id=OuterRef("pk"), tag__name__icontains=word)
        )
        queryset = queryset.filter(
            Q(title__icontains=word)
            | Q(brand__icontains=word)
            | Q(description__icontains=word)
            | Q(category__name__icontains=word)
            | tag_match
        )
        score = score + Case(
            When(title__icontains=word, then=Value(8.0)),
            When(Q(brand__icontains=word) | Q(tag_match), then=Value(4.0)),
            When(category__name__icontains=word, then=Value(2.0)),
            default=Value(1.0),
            output_field=FloatField(),
        )
    return queryset.annotate(relevance=score)


def product_qs_search_ranked(queryset: QuerySet[Product], *, words: list[str]) -> QuerySet[Product]:
    """Products matching ``words``, annotated with ``relevance`` (higher is better)."""
    if not words:
        return queryset
    query = " ".join(words)
    if search_backend(queryset) == "postgresql":
        return _qs_search_postgresql(queryset, words=words, query=query)
    return _qs_search_basic(queryset, words=words, query=query)


def product_titles_similar(
    queryset: QuerySet[Product], *, query: str, limit: int = SUGGESTION_LIMIT
) -> list[str]:
    """Titles closest to ``query`` by trigram similarity, for "Did you mean …?"; none without pg_trgm."""
    if not query or search_backend(queryset) != "postgresql":
        return []
    similarity = TrigramWordSimilarity(Value(query), "title")
    titles = (
        queryset.annotate(similarity=similarity)
        .filter(similarity__gte=SUGGESTION_MIN_SIMILARITY)
        .order_by(F("similarity").desc(), "title")
        .values_list("title", flat=True)[: limit * 3]
    )
    # Several listings often share a title; suggest each title once, closest first.
    unique = list(dict.fromkeys(titles))
    return unique[:limit]
