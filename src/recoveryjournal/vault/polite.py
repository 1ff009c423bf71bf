"""Background work that gives way to the person.

After unlock a worker thread reads, opens and checks every record while the
person may already be pressing keys. Python runs one thread at a time (the
GIL), and on a two-core machine a worker that never lets go makes every paint
wait. So the long loops of that work (reading the rows, opening them, the
integrity check) call `give_way(busy)` every `EVERY` rows, a few milliseconds
of work apart: it hands the GIL over once, and while `busy()` says the person
is typing (the app's `person_is_typing`), it sleeps.

`busy` is None for everything that is not a background worker (the CLI, a
screen that needs the records now): those loops run straight through.
"""

from __future__ import annotations

import time
from typing import Callable

EVERY = 1024  # rows between two looks at `busy`: about 4 ms of opening at most
PAUSE = 0.05  # seconds slept at a time while the person types

Busy = Callable[[], bool]

# Looked up at each call, so a test can put a pause of its own in (and sleep none).
pause = time.sleep


def give_way(busy: Busy | None) -> None:
    """Let the UI thread run, and wait while `busy()` is true (None: return at once)."""
    if busy is None:
        return
    pause(0)  # the UI thread takes the GIL now if it wants it
    while busy():
        pause(PAUSE)
