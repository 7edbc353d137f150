"""The flush that stores tracked events (``common.tracking.track`` collects them). The rollups built from
the events are ``analytics.rollups.services``."""

from __future__ import annotations

import logging

from django.utils.dateparse import parse_datetime

from analytics.models import Event
from analytics.rollups.services import late_events_mark
from common.tracking_buffer import MemoryBuffer, RedisBuffer, get_buffer

logger = logging.getLogger(__name__)

FLUSH_BATCH_SIZE = 1000


def events_flush(*, buffer: MemoryBuffer | RedisBuffer | None = None, max_batches: int = 100) -> int:
    """Move buffered events into the ``Event`` table, one bulk INSERT per batch. Returns rows written.
    Events of a past day (buffered across midnight, or sent late) mark that day for a rebuild."""
    buffer = buffer if buffer is not None else get_buffer()
    written = 0
    for _ in range(max_batches):
        batch = buffer.pop_batch(FLUSH_BATCH_SIZE)
        if not batch:
            break
        rows = []
        for item in batch:
            item = dict(item)
            item["occurred_at"] = parse_datetime(item["occurred_at"])
            rows.append(Event(**item))
        Event.objects.bulk_create(rows, batch_size=FLUSH_BATCH_SIZE)
        late_events_mark(row.occurred_at for row in rows)
        written += len(rows)
    return written
