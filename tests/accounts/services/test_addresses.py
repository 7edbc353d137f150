import pytest
from django.core.exceptions import ValidationError

from accounts.models import Address
from accounts.services import address_create, address_delete, address_set_default, address_update
from common.exceptions import ApplicationError
from tests.factories import AddressFactory, UserFactory

pytestmark = pytest.mark.django_db

HOME = {
    "full_name": "Ada Lovelace",
    "line1": "12 Analytical Row",
    "city": "London",
    "postal_code": "N1 9GU",
    "country": "gb",
}


def _defaults(user):
    return list(Address.objects.filter(user=user, is_default=True).values_list("pk", flat=True))


def test_the_first_address_becomes_the_default():
    user = UserFactory()

    address = address_create(user=user, label="Home", **HOME)

    address.refresh_from_db()
    assert address.is_default is True
    assert address.country == "GB"
    assert address.label == "Home"


def test_a_later_address_is_not_the_default_unless_asked():
    user = UserFactory()
    first = address_create(user=user, **HOME)

    second = address_create(user=user, **{**HOME, "line1": "1 Babbage Lane"})

    assert second.is_default is False
    assert _defaults(user) == [first.pk]


def test_creating_a_default_address_moves_the_default():
    user = UserFactory()
    address_create(user=user, **HOME)

    second = address_create(user=user, is_default=True, **{**HOME, "line1": "1 Babbage Lane"})

    assert _defaults(user) == [second.pk]


def test_address_create_validates_before_saving():
    user = UserFactory()

    with pytest.raises(ValidationError) as excinfo:
        address_create(user=user, **{**HOME, "full_name": "", "country": "GBR"})

    assert set(excinfo.value.error_dict) == {"full_name", "country"}
    assert not Address.objects.filter(user=user).exists()


def test_address_set_default_leaves_exactly_one_default():
    user = UserFactory()
    first = address_create(user=user, **HOME)
    second = address_create(user=user, **{**HOME, "line1": "1 Babbage Lane"})

    address_set_default(user=user, address_id=second.pk)

    assert _defaults(user) == [second.pk]
    first.refresh_from_db()
    assert first.is_default is False


def test_address_update_changes_fields_but_not_the_default():
    user = UserFactory()
    address = address_create(user=user, **HOME)

    address_update(
        user=user, address_id=address.pk, data={"city": " Cambridge ", "country": "gb", "is_default": False}
    )

    address.refresh_from_db()
    assert address.city == "Cambridge"
    assert address.country == "GB"
    assert address.is_default is True


def test_deleting_the_default_promotes_the_newest_remaining_address():
    user = UserFactory()
    default = address_create(user=user, **HOME)
    address_create(user=user, **{**HOME, "line1": "older"})
    newest = address_create(user=user, **{**HOME, "line1": "newest"})

    address_delete(user=user, address_id=default.pk)

    assert not Address.objects.filter(pk=default.pk).exists()
    assert _defaults(user) == [newest.pk]


def test_deleting_the_last_address_leaves_an_empty_book():
    user = UserFactory()
    address = address_create(user=user, **HOME)

    address_delete(user=user, address_id=address.pk)

    assert not Address.objects.filter(user=user).exists()


@pytest.mark.parametrize(
    "call",
    [
        lambda user, pk: address_update(user=user, address_id=pk, data={"city": "Elsewhere"}),
        lambda user, pk: address_delete(user=user, address_id=pk),
        lambda user, pk: address_set_default(user=user, address_id=pk),
    ],
    ids=["update", "delete", "set-default"],
)
def test_another_users_address_cannot_be_changed(call):
    owner_address = AddressFactory(is_default=False)
    intruder = UserFactory()

    with pytest.raises(ApplicationError, match="Address not found"):
        call(intruder, owner_address.pk)

    owner_address.refresh_from_db()
    assert owner_address.city == "London"
    assert owner_address.is_default is False
