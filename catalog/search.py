"""Product search: which backend matches and ranks a shopper's words, and what to suggest when nothing does.

On PostgreSQL a weighted full-text vector (title A, brand and tags B, category name C, description D)
is ranked with ``ts_rank`` plus the trigram word similarity of the title, so a one-letter typo still
finds the product. Elsewhere (SQLite in development and tests) every word must appear somewhere, and a
title match ranks first; a word that is in no title, brand, tag or category name is also matched by the
closest words of that vocabulary (``difflib``), so a one-letter typo finds the product there too. Both
annotate ``relevance`` for ``ProductSort.RELEVANCE`` to order by, and both suggest "Did you mean …?"
titles when nothing matched.

Only ``django.contrib.postgres`` expressions and indexes are used; the app itself is not installed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from typing import cast

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connections
from django.db.models import (
    Case,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Length, Substr

from catalog.models import Category, Product, Tag

SEARCH_CONFIG = "english"
# A title matches a typo when pg_trgm's word_similarity_threshold (default 0.6) is reached: the
# ``%>`` operator reads the server setting, which is what lets the trigram GIN index serve it.
# Looser, for "Did you mean …?" once nothing matched at all.
SUGGESTION_MIN_SIMILARITY = 0.3
SUGGESTION_LIMIT = 3
# The basic backend's typo correction: difflib's ratio a vocabulary word must reach (one letter dropped
# from a 9-letter word gives 0.94, one changed in a 5-letter word 0.8), and how long the vocabulary of a
# listing generation is remembered in a process.
CORRECTION_CUTOFF = 0.8
VOCABULARY_SECONDS = 300.0
VOCABULARY_KEY = "catalog:search-vocabulary"
_WORD = re.compile(r"\w+")


def search_backend(queryset: QuerySet) -> str:
    """``"postgresql"`` where full-text search and pg_trgm exist, ``"basic"`` everywhere else."""
    return "postgresql" if connections[queryset.db].vendor == "postgresql" else "basic"


def product_search_vector_refresh(*, product_ids: Iterable[int] | None = None) -> int:
    """Rewrite ``Product.search_vector`` of the given products (all products when ``None``) from their
    title (weight A), brand and tag names (B), the names of their category and its ancestors (C) and
    description (D). One UPDATE; a no-op returning 0 on databases without full-text search.

    Called by every service that changes one of those sources (listing create/edit, tag changes,
    category rename or move) and by ``manage.py catalog_search_reindex`` for bulk loads."""
    connection = connections[Product.objects.db]
    if connection.vendor != "postgresql":
        return 0
    ids = None if product_ids is None else sorted(set(product_ids))
    if ids is not None and not ids:
        return 0
    product = Product._meta.db_table
    tags = Product.tags.through._meta.db_table
    tag = Tag._meta.db_table
    category = Category._meta.db_table
    # Only table names from model metadata are interpolated; values are parameters.
    sql = f"""
        UPDATE {product} AS p SET search_vector =
            setweight(to_tsvector(%(config)s::regconfig, p.title), 'A')
            || setweight(to_tsvector(%(config)s::regconfig, p.brand || ' ' || coalesce((
                SELECT string_agg(t.name, ' ') FROM {tags} AS pt JOIN {tag} AS t ON t.id = pt.tag_id
                WHERE pt.product_id = p.id), '')), 'B')
            || setweight(to_tsvector(%(config)s::regconfig, coalesce((
                SELECT string_agg(a.name, ' ') FROM {category} AS c JOIN {category} AS a
                    ON c.path LIKE a.path || '%%'
                WHERE c.id = p.category_id), '')), 'C')
            || setweight(to_tsvector(%(config)s::regconfig, p.description), 'D')
    """  # noqa: S608
    params: dict[str, object] = {"config": SEARCH_CONFIG}
    if ids is not None:
        sql += " WHERE p.id = ANY(%(ids)s)"
        params["ids"] = ids
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def product_search_vector_reindex(
    *, batch_size: int = 5000, on_batch: Callable[[int], None] = lambda done: None
) -> int:
    """Refresh every product's search document in id-ordered batches (one short UPDATE each, so a
    large catalogue is never locked as a whole); ``on_batch`` gets each batch's row count (progress)."""
    if connections[Product.objects.db].vendor != "postgresql":
        return 0
    done, last_id = 0, 0
    while True:
        ids = list(
            Product.objects.filter(pk__gt=last_id).order_by("pk").values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return done
        count = product_search_vector_refresh(product_ids=ids)
        done += count
        last_id = ids[-1]
        on_batch(count)


def product_search_vector_refresh_category(*, category_path: str) -> int:
    """After a category is renamed or moved: refresh every product in its subtree."""
    ids = Product.objects.filter(category__path__startswith=category_path).values_list("pk", flat=True)
    return product_search_vector_refresh(product_ids=list(ids))


def _qs_search_postgresql(queryset: QuerySet[Product], *, words: list[str], query: str) -> QuerySet[Product]:
    """Products whose stored search document matches the query as a ``websearch`` query (every word,
    "quoted phrases", -exclusions), or whose title is close to it (a typo); both conditions are served
    by GIN indexes (``search_vector``, trigram on ``title``). Ranked by ``ts_rank`` of the weighted
    document plus the title's trigram word similarity."""
    search_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
    title_close = TrigramWordSimilar(F("title"), Value(query))
    return queryset.filter(Q(search_vector=search_query) | Q(title_close)).annotate(
        relevance=Cast(SearchRank(F("search_vector"), search_query), FloatField())
        + TrigramWordSimilarity(Value(query), "title")
    )


def search_vocabulary() -> frozenset[str]:
    """The lower-case words of every visible product's title and brand, and of tag and category names
    (the basic backend's typo correction); rebuilt when the listing generation changes."""
    from catalog.listing_cache import listing_version, memo_forget, memo_get

    version = listing_version()
    cached = cast(
        "tuple[object, frozenset[str]]",
        memo_get(VOCABULARY_KEY, lambda: (version, _vocabulary_load()), seconds=VOCABULARY_SECONDS),
    )
    if cached[0] != version:
        memo_forget(VOCABULARY_KEY)
        cached = cast(
            "tuple[object, frozenset[str]]",
            memo_get(VOCABULARY_KEY, lambda: (version, _vocabulary_load()), seconds=VOCABULARY_SECONDS),
        )
    return cached[1]


def _vocabulary_load() -> frozenset[str]:
    texts: list[str] = []
    for title, brand in Product.objects.filter(status=Product.Status.ACTIVE).values_list("title", "brand"):
        texts += [title, brand]
    texts += Tag.objects.values_list("name", flat=True)
    texts += Category.objects.filter(is_active=True).values_list("name", flat=True)
    return frozenset(w for text in texts for w in _WORD.findall(text.lower()) if len(w) >= 3)


def word_corrections(word: str, *, vocabulary: frozenset[str]) -> list[str]:
    """Vocabulary words close to ``word`` (a one- or two-letter slip), closest first; none when the word
    is itself in the vocabulary or too short to correct."""
    lowered = word.lower()
    if len(lowered) < 4 or lowered in vocabulary:
        return []
    return difflib.get_close_matches(lowered, vocabulary, n=3, cutoff=CORRECTION_CUTOFF)


def _qs_search_basic(queryset: QuerySet[Product], *, words: list[str], query: str) -> QuerySet[Product]:
    score = Case(When(title__iexact=query, then=Value(100.0)), default=Value(0.0), output_field=FloatField())
    for word in words:
        # The name of the product's category or of one of its ancestors (a path prefix of its path).
        in_category = Exists(
            Category.objects.filter(
                name__icontains=word, path=Substr(OuterRef("category__path"), 1, Length("path"))
            )
        )
        tag_match = Exists(
            Product.tags.through.objects.filter(product_id=OuterRef("pk"), tag__name__icontains=word)
        )
        queryset = queryset.filter(
            Q(title__icontains=word)
            | Q(brand__icontains=word)
            | Q(description__icontains=word)
            | Q(in_category)
            | tag_match
        )
        score = score + Case(
            When(title__icontains=word, then=Value(8.0)),
            When(Q(brand__icontains=word) | Q(tag_match), then=Value(4.0)),
            When(in_category, then=Value(2.0)),
            default=Value(1.0),
            output_field=FloatField(),
        )
    return queryset.annotate(relevance=score)


def query_corrected(queryset: QuerySet[Product], *, query: str) -> str:
    """For a query that found nothing: the query with each word that is in no title, brand, tag or
    category name replaced by the closest word that is ("headphnes" -> "headphones"), or "" when no
    word needs or has a correction. PostgreSQL needs none (its trigram match forgives typos itself)."""
    if not query or search_backend(queryset) == "postgresql":
        return ""
    vocabulary = search_vocabulary()
    words = query.lower().split()
    corrected = [(word_corrections(word, vocabulary=vocabulary) or [word])[0] for word in words]
    return " ".join(corrected) if corrected != words else ""


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
    """Titles closest to ``query`` for "Did you mean …?": by trigram similarity on PostgreSQL; elsewhere
    the titles each word of the query, corrected to its closest vocabulary word, finds on its own."""
    if not query:
        return []
    if search_backend(queryset) != "postgresql":
        return _titles_corrected_basic(queryset, query=query, limit=limit)
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


def _titles_corrected_basic(queryset: QuerySet[Product], *, query: str, limit: int) -> list[str]:
    """Titles that each word of the query, corrected to its closest vocabulary word, finds on its own
    (the query as a whole found nothing), best first."""
    vocabulary = search_vocabulary()
    titles: list[str] = []
    for word in query.split()[:5]:
        corrected = (word_corrections(word, vocabulary=vocabulary) or [word.lower()])[0]
        found = _qs_search_basic(queryset, words=[corrected], query=corrected)
        # "relevance" is annotated by _qs_search_basic, which the Django plugin cannot see through.
        titles += found.order_by("-relevance", "title").values_list("title", flat=True)[:limit]  # type: ignore[misc]
    return list(dict.fromkeys(titles))[:limit]
