"""``manage.py ledger_check``: check the ledger's invariants (``payments.ledger.ledger_problems``) and
print what the books hold. Exits 1 when any invariant is broken, so cron or CI can alert on it."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Q, Sum

from payments.ledger import ledger_problems
from payments.models import JournalEntry, JournalLine, LedgerAccount


class Command(BaseCommand):
    help = (
        "Check that every journal entry balances, that all accounts sum to zero per currency and that "
        "each seller's payable matches their sales, refunds and payouts. Exit status 1 on any problem. "
        "-v 2 also prints the balance of every account kind."
    )

    def handle(self, *args, **options):
        # A handful of GROUP BY queries over the lines: nothing here iterates row by row.
        self.stdout.write(
            f"Ledger: {JournalEntry.objects.count():,} entries, {JournalLine.objects.count():,} lines, "
            f"{LedgerAccount.objects.count():,} accounts"
        )
        totals = (
            JournalLine.objects.values("currency")
            .annotate(
                lines=Count("pk"),
                debits=Sum("amount", filter=Q(amount__gt=0), default=0),
                credits=Sum("amount", filter=Q(amount__lt=0), default=0),
            )
            .order_by("currency")
        )
        for row in totals:
            self.stdout.write(
                f"  {row['currency']}: {row['lines']:,} lines, debits {row['debits']:,}, "
                f"credits {row['credits']:,}, sum {row['debits'] + row['credits']:,}"
            )
        if options["verbosity"] >= 2:
            balances = (
                JournalLine.objects.values("currency", "account__kind")
                .annotate(balance=Sum("amount"))
                .order_by("currency", "account__kind")
            )
            for row in balances:
                self.stdout.write(f"    {row['currency']} {row['account__kind']:<20} {row['balance']:>16,}")

        problems = ledger_problems()
        if problems:
            for problem in problems:
                self.stderr.write(f"PROBLEM: {problem}")
            raise CommandError(f"{len(problems)} ledger problem(s) found")
        self.stdout.write(self.style.SUCCESS("The books balance: no problems found."))
