"""One way to write a date per language, in the platform's time zone: "7 Dec 2026" / "7 Dec 2026, 19:56"
in English, "2026年12月7日" / "2026年12月7日 19:56" in Simplified Chinese (``marketplace.formats``).
Templates name a format and never spell a pattern, so no page can drift to a format of its own."""

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from orders.models import OrderEvent, ProductReview
from tests.orders.factories_seller import paid_part
from tests.orders.reviews.factories import delivered_line, review_row

# 11:56 UTC is 19:56 in Shanghai: pages show the platform's time zone, not UTC.
AT = datetime(2026, 12, 7, 11, 56, tzinfo=UTC)
ISO = "2026-12-07T19:56:00+08:00"
FORMATS = {
    "en": {"date": "7 Dec 2026", "datetime": "7 Dec 2026, 19:56"},
    "zh-hans": {"date": "2026年12月7日", "datetime": "2026年12月7日 19:56"},
}
# What a shown date (either kind) looks like in each language; every <time> on a page must hold one.
SHOWN = {
    "en": re.compile(r"\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}(, \d{2}:\d{2})?"),
    "zh-hans": re.compile(r"\d{4}年\d{1,2}月\d{1,2}日( \d{2}:\d{2})?"),
}
TIME_ELEMENT = re.compile(r"<time datetime=\"([^\"]+)\">(.*?)</time>", re.DOTALL)

pytestmark = pytest.mark.django_db
languages = pytest.mark.parametrize("language", ["en", "zh-hans"])


@pytest.fixture(autouse=True)
def _shanghai(settings):
    settings.TIME_ZONE = "Asia/Shanghai"


def _get(user, url: str, language: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def _assert_every_time_element_in_the_one_format(html: str, language: str) -> None:
    shown = TIME_ELEMENT.findall(html)
    assert shown
    odd = [(iso, text) for iso, text in shown if not SHOWN[language].search(text)]
    assert odd == []
    # Django's own English defaults ("Dec. 7, 2026, 7:56 p.m.", "12/07/2026") are nowhere on the page.
    assert re.findall(r"\b[ap]\.m\.|\b\d{2}/\d{2}/\d{4}\b|\b[A-Z][a-z]{2}\. \d{1,2}, \d{4}", html) == []
    assert all(
        re.fullmatch(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2})?", iso)
        for iso, _ in shown
    )


@languages
def test_the_shoppers_order_page_writes_dates_one_way(language):
    part = paid_part(placed_at=AT)
    OrderEvent.objects.create(
        order=part.order, actor_kind="system", from_status="pending_payment", to_status="paid"
    )
    OrderEvent.objects.filter(order=part.order).update(created_at=AT)

    html = _get(part.order.buyer, reverse("orders:order-detail", args=[part.order.number]), language)

    assert FORMATS[language]["datetime"] in html
    assert f'<time datetime="{ISO}">{FORMATS[language]["datetime"]}</time>' in html  # the timeline
    _assert_every_time_element_in_the_one_format(html, language)


@languages
def test_the_sellers_order_page_writes_dates_one_way(language):
    part = paid_part(placed_at=AT)
    OrderEvent.objects.create(
        order=part.order, actor_kind="system", from_status="pending_payment", to_status="paid"
    )
    OrderEvent.objects.filter(order=part.order).update(created_at=AT)

    html = _get(part.seller.user, reverse("seller:order-detail", args=[part.pk]), language)

    assert f'<time datetime="{ISO}">{FORMATS[language]["datetime"]}</time>' in html
    _assert_every_time_element_in_the_one_format(html, language)


@languages
def test_a_review_is_dated_one_way_for_its_seller_and_its_author(language):
    line = delivered_line()
    review = review_row(line, title="Lovely")
    ProductReview.objects.filter(pk=review.pk).update(created_at=AT)

    seller_html = _get(
        line.seller_order.seller.user, reverse("seller:review-reply", args=[review.pk]), language
    )
    author_html = _get(
        line.seller_order.order.buyer,
        reverse("reviews:order-reviews", args=[line.seller_order.order.number]),
        language,
    )

    assert f'<time datetime="{ISO}">{FORMATS[language]["date"]}</time>' in seller_html
    _assert_every_time_element_in_the_one_format(seller_html, language)
    assert FORMATS[language]["date"] in author_html


# --- the class of defect ------------------------------------------------------------------------------

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# The named formats of marketplace.formats, 'c' (ISO 8601) for machine-readable attributes and 'Y-m-d'
# for the value of an <input type="date"> (the one format HTML accepts there).
ALLOWED = {
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "TIME_FORMAT",
    "YEAR_MONTH_FORMAT",
    "MONTH_DAY_FORMAT",
    "c",
    "Y-m-d",
}
DATE_FILTER = re.compile(r"\|\s*(date|time)\s*:\s*(?:\"([^\"]*)\"|'([^']*)'|(\S+?)(?=[\s%}|]))")


def test_no_template_spells_a_date_pattern_of_its_own():
    found = []
    for path in sorted(TEMPLATES.rglob("*")):
        if path.suffix not in (".html", ".txt", ".xml") or not path.is_file():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for match in DATE_FILTER.finditer(line):
                argument = match.group(2) if match.group(2) is not None else match.group(3)
                if argument is None or argument not in ALLOWED:
                    found.append(f"{path.relative_to(TEMPLATES)}:{number}: {match.group(0)}")

    assert found == []


def test_the_scan_catches_a_spelled_pattern():
    caught = [
        m.group(0)
        for m in DATE_FILTER.finditer(
            '{{ a|date:"Y-m-d H:i" }} {{ b|date:\'M j, Y\' }} {{ c|time:"H:i" }} {{ d|date:fmt }}'
            " {{ e|date:\"DATE_FORMAT\" }} {{ f|date:'c' }} {{ g|date }}"
        )
    ]

    assert caught == [
        '|date:"Y-m-d H:i"',
        "|date:'M j, Y'",
        '|time:"H:i"',
        "|date:fmt",
        '|date:"DATE_FORMAT"',
        "|date:'c'",
    ]
