"""The demo catalog is worded in Simplified Chinese too: every department and category, every attribute
name and every choice that is a word; stored values stay English."""

from io import StringIO

import pytest
from django.core.management import call_command

from catalog.models import Category, CategoryAttribute
from marketplace.demo import catalog_i18n
from marketplace.demo.catalog import _DEMO_ATTRIBUTES, DEPARTMENTS

SMALL = {
    "products": 20,
    "sellers": 3,
    "shoppers": 3,
    "orders": 5,
    "events": 20,
    "no_progress": True,
    "rollups": False,
}


def _seed() -> None:
    call_command("seed_demo", **SMALL, stdout=StringIO(), stderr=StringIO())


def test_every_demo_category_attribute_and_word_choice_has_a_chinese_name():
    names = [dept.name for dept in DEPARTMENTS]
    names += [sub.name for dept in DEPARTMENTS for sub in dept.subcategories]
    names += [leaf.name for dept in DEPARTMENTS for leaf in dept.leaves]
    word_choices = {
        choice
        for _dept, _category, spec in _DEMO_ATTRIBUTES
        for choice in spec.choices
        if not any(character.isdigit() for character in choice) and not choice.isupper()
    }

    assert [name for name in names if name not in catalog_i18n.CATEGORY_NAMES] == []
    assert [s.name for _d, _c, s in _DEMO_ATTRIBUTES if s.name not in catalog_i18n.ATTRIBUTE_NAMES] == []
    assert sorted(word_choices - set(catalog_i18n.CHOICE_LABELS)) == []


@pytest.mark.django_db
def test_seed_demo_writes_the_chinese_names_next_to_the_english_ones():
    _seed()

    electronics = Category.objects.get(slug="electronics")
    assert (electronics.name, electronics.translations["zh-hans"]["name"]) == ("Electronics", "电子产品")
    assert Category.objects.get(slug="smartphones").translations["zh-hans"]["name"] == "智能手机"
    assert not Category.objects.filter(translations={}).exists()
    colour = CategoryAttribute.objects.get(category__slug="fashion", code="colour")
    assert colour.choices[:2] == ["Black", "White"]
    assert colour.translations["zh-hans"]["name"] == "颜色"
    assert colour.translations["zh-hans"]["choices"]["Black"] == "黑色"


@pytest.mark.django_db
def test_seed_demo_names_in_chinese_what_an_earlier_run_left_english_only():
    _seed()
    Category.objects.update(translations={})
    CategoryAttribute.objects.update(translations={})
    worded = Category.objects.get(slug="books")
    worded.translations = {"zh-hans": {"name": "书籍"}}
    worded.save(update_fields=["translations"])

    _seed()

    assert Category.objects.get(slug="fashion").translations["zh-hans"]["name"] == "时尚服饰"
    assert Category.objects.get(slug="books").translations == {"zh-hans": {"name": "书籍"}}  # kept
    assert CategoryAttribute.objects.get(category__slug="books", code="format").translations == {
        "zh-hans": {
            "name": "装帧",
            "choices": {"Paperback": "平装", "Hardcover": "精装", "Collector's Edition": "典藏版"},
        }
    }
