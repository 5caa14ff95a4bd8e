"""Process-wide settings for bulk work, changed only by the process that owns it.

A command run from the shell and the background task worker do one large job at a time, and
set these for its length; library code never changes them, so a web process serving pages on
several threads keeps Python's defaults.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager

# Python hands its lock between threads every 5 ms by default: ``core.bulk``'s writer thread,
# done with a statement, would wait that long to be given the next. (At 300,000 customers:
# 10-11 s to write the answers rather than 14 s in one thread and 17 s at the default.)
SWITCH_INTERVAL = 0.0005  # seconds


@contextmanager
def bulk_work() -> Iterator[None]:
    """For the length of one large import or build: threads hand over quickly, and Python's
    cycle collector is paused (millions of small row objects, none in cycles worth collecting,
    would otherwise be rescanned over and over)."""
    interval = sys.getswitchinterval()
    was_collecting = gc.isenabled()
    sys.setswitchinterval(SWITCH_INTERVAL)
    gc.disable()
    try:
        yield
    finally:
        sys.setswitchinterval(interval)
        if was_collecting:
            gc.enable()
