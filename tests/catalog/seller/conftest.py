import pytest

from tests.factories import SellerProfileFactory, category_create


@pytest.fixture
def seller(client):
    """An approved seller, signed in."""
    profile = SellerProfileFactory(shop_name="Attic")
    client.force_login(profile.user)
    return profile


@pytest.fixture
def leaf():
    root = category_create("Home")
    return category_create("Kitchen", parent=root)


@pytest.fixture
def product_post(leaf):
    """The POST body of the listing form: listing fields plus SKU rows (each a dict of row fields)."""

    def build(*, rows, publish=False, initial_rows=0, **fields):
        data = {
            "title": "Chef's knife",
            "category": str(leaf.pk),
            "description": "Sharp.",
            "brand": "Acme",
            "condition": "new",
            "tags": "Kitchen, Knives",
            "variants-TOTAL_FORMS": str(len(rows)),
            "variants-INITIAL_FORMS": str(initial_rows),
            "variants-MIN_NUM_FORMS": "1",
            "variants-MAX_NUM_FORMS": "50",
        }
        data.update({k: str(v) for k, v in fields.items()})
        for i, row in enumerate(rows):
            for key, value in row.items():
                data[f"variants-{i}-{key}"] = "" if value is None else str(value)
        if publish:
            data["publish"] = "1"
        return data

    return build
