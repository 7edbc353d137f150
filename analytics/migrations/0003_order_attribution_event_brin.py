from django.contrib.postgres.indexes import BrinIndex
from django.db import migrations, models

from common.migration_operations import AddIndexOnPostgreSQL


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0002_rollups"),
    ]

    operations = [
        migrations.CreateModel(
            name="OrderAttribution",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("order_id", models.BigIntegerField(unique=True)),
                (
                    "day",
                    models.DateField(db_index=True, help_text="Platform-timezone day the order was placed"),
                ),
                (
                    "channel",
                    models.CharField(
                        choices=[
                            ("campaign", "Campaign"),
                            ("direct", "Direct"),
                            ("search", "Search engine"),
                            ("social", "Social"),
                            ("referral", "Other site"),
                            ("internal", "Internal"),
                        ],
                        default="direct",
                        max_length=10,
                    ),
                ),
                (
                    "device",
                    models.CharField(
                        choices=[
                            ("desktop", "Desktop"),
                            ("mobile", "Mobile"),
                            ("tablet", "Tablet"),
                            ("bot", "Bot"),
                            ("other", "Other"),
                        ],
                        default="other",
                        max_length=10,
                    ),
                ),
                (
                    "customer_type",
                    models.CharField(
                        choices=[("new", "New"), ("returning", "Returning")], default="new", max_length=10
                    ),
                ),
            ],
        ),
        # BRIN is PostgreSQL's; SQLite keeps only the model state (the btree on occurred_at serves it).
        AddIndexOnPostgreSQL(
            model_name="event",
            index=BrinIndex(fields=["occurred_at"], name="analytics_event_time_brin"),
        ),
    ]
