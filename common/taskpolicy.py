"""How long Celery work may take and wait, so that work lost with a worker is redone within minutes.

A worker that dies (SIGKILL, out of memory, the host gone) cannot acknowledge the messages it had taken;
the Redis broker hands them to another worker once they have been unacknowledged for the visibility
timeout (``settings.CELERY_VISIBILITY_TIMEOUT``, 120 s). A message stays unacknowledged while it waits
for its countdown and while it runs, so every ``acks_late`` task must fit both inside that timeout,
or a healthy worker's task would be handed out a second time:

* item tasks (one webhook event, one refund, one mail) run for at most ``ITEM_TIME_LIMIT`` seconds and
  retry after at most ``RETRY_COUNTDOWN_MAX`` seconds; a longer outage is ridden out by more retries,
  not by longer waits;
* sweeps that beat runs on a schedule (expire unpaid orders, release funds, the payout run) are
  ``acks_late=False``: one lost with its worker is simply run again at beat's next tick, and each is
  idempotent over the state it sweeps.

Redelivery can still hand a task out twice (a worker that was only slow), so every task is idempotent:
"exactly once in effect". ``tests/marketplace/test_task_policy.py`` holds every registered task to this.
"""

from __future__ import annotations

ITEM_TIME_LIMIT = 80
ITEM_SOFT_TIME_LIMIT = 70
RETRY_COUNTDOWN_MAX = 30


def retry_countdown(retries: int, *, base: int = 5) -> int:
    """Seconds before retry number ``retries + 1``: 5, 10, 20, then every 30 s."""
    return min(RETRY_COUNTDOWN_MAX, base << min(retries, 10))


def retries_for(seconds: int, *, base: int = 5) -> int:
    """How many retries ``retry_countdown`` needs to keep trying for about ``seconds``."""
    waited, retries = 0, 0
    while waited < seconds:
        waited += retry_countdown(retries, base=base)
        retries += 1
    return retries
