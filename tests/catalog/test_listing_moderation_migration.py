"""Migration 0006 renames the operators' queue proxy (ListingReview -> ListingModeration): the permissions
a group was given on the old name are the same rows, renamed, afterwards."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("catalog", "0005_listing_review_proxy")]
AFTER = [("catalog", "0006_rename_listingreview_listingmoderation")]


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_a_group_keeps_its_queue_permissions_through_the_rename():
    # given the database before the rename, and a group of moderators given the queue's permissions
    _migrate(BEFORE)
    try:
        old = Permission.objects.filter(
            content_type__app_label="catalog", codename__endswith="_listingreview"
        )
        assert sorted(old.values_list("codename", flat=True)) == [
            "add_listingreview",
            "change_listingreview",
            "delete_listingreview",
            "view_listingreview",
        ]
        group = Group.objects.create(name="Moderators")
        group.permissions.set(old.filter(codename__in=["view_listingreview", "change_listingreview"]))
        ids = set(group.permissions.values_list("pk", flat=True))

        # when the rename is applied
        _migrate(AFTER)
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    # then the group has the same permission rows, under the new names
    assert set(group.permissions.values_list("pk", flat=True)) == ids
    assert sorted(group.permissions.values_list("codename", "name")) == [
        ("change_listingmoderation", "Can change listing awaiting moderation"),
        ("view_listingmoderation", "Can view listing awaiting moderation"),
    ]
    assert not Permission.objects.filter(codename__endswith="_listingreview").exists()
