# The operators' listing queue is "moderation" now ("review" is what shoppers write, in orders). A proxy
# model has no table: renaming it renames its content type (Django does that) and, here, the codenames
# of its permissions, so groups that were given them keep them.

from django.db import migrations

_ACTIONS = ("add", "change", "delete", "view")


def _permissions_rename(apps, *, old: str, new: str, verbose_name: str) -> None:
    Permission = apps.get_model("auth", "Permission")
    for action in _ACTIONS:
        permissions = Permission.objects.filter(content_type__app_label="catalog")
        if permissions.filter(codename=f"{action}_{new}").exists():
            continue
        permissions.filter(codename=f"{action}_{old}").update(
            codename=f"{action}_{new}", name=f"Can {action} {verbose_name}"
        )


def permissions_forwards(apps, schema_editor):
    _permissions_rename(
        apps, old="listingreview", new="listingmoderation", verbose_name="listing awaiting moderation"
    )


def permissions_backwards(apps, schema_editor):
    _permissions_rename(apps, old="listingmoderation", new="listingreview", verbose_name="listing in review")


class Migration(migrations.Migration):

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("catalog", "0005_listing_review_proxy"),
    ]

    operations = [
        migrations.RenameModel(old_name="ListingReview", new_name="ListingModeration"),
        migrations.AlterModelOptions(
            name="listingmoderation",
            options={
                "verbose_name": "listing awaiting moderation",
                "verbose_name_plural": "listings awaiting moderation",
            },
        ),
        migrations.RunPython(permissions_forwards, permissions_backwards),
    ]
