"""Choosing what to share: which kinds of record, which dates, tags and records
picked by hand, and which fields to leave out (a `Selection`), and `choose()`,
which picks the records (`iter_chosen()`: the same, one at a time, for an export
that streams). How each chosen record then reads once shared is
`shared_records.py`; nothing here writes a file.
"""

from __future__ import annotations

import dataclasses
import heapq
from dataclasses import dataclass
from datetime import date
from itertools import islice
from operator import attrgetter
from typing import Iterable, Iterator

from .. import records
from ..i18n import _
from ..records import Record
from ..safetext import clean
from .choices import (FIELD_GROUPS, PSEUDO_FIELDS, SHAREABLE_KINDS,  # noqa: F401 (re-exported)
                      SHARING_KINDS)


def kind_label(kind: str) -> str:
    """How a kind is named to a person."""
    return {
        "entry": _("Journal entry"),
        "exercise": _("Exercise"),
        "urge": _("Urge"),
        "use": _("Use"),
        "checkin": _("Well-being check-in (WHO-5)"),
        "mood": _("Mood"),
        "meeting": _("Meeting"),
        "draft": _("Draft"),
        "settings": _("Settings"),
    }.get(kind, kind)


def all_field_names() -> set[str]:
    """Every field of every record kind that could be left out."""
    names: set[str] = set()
    for cls in records.KINDS.values():
        names.update(f.name for f in dataclasses.fields(cls))
    return (names | set(PSEUDO_FIELDS)) - {"id", "created", "updated", "when"}


def expand_fields(names: Iterable[str]) -> frozenset[str]:
    """Field groups ("places", "amounts") and plain field names, as field names.
    Raises ValueError naming what is not known."""
    known = all_field_names()
    result: set[str] = set()
    for raw in names:
        name = raw.strip().lower()
        if not name:
            continue
        if name in FIELD_GROUPS:
            result.update(FIELD_GROUPS[name])
        elif name in known:
            result.add(name)
        else:
            choices = ", ".join(sorted(FIELD_GROUPS))
            raise ValueError(
                _("There is no field called {name!r}. You can leave out: {choices} "
                  "(or a single field name).").format(name=raw, choices=choices)
            )
    return frozenset(result)


@dataclass
class Selection:
    """What to export. Dates are inclusive, in local time; `ids` (picked by hand)
    narrows the choice further when it is not None."""

    kinds: tuple[str, ...] = SHARING_KINDS
    date_from: date | None = None
    date_to: date | None = None
    tags: tuple[str, ...] = ()
    ids: frozenset[str] | None = None
    excluded: frozenset[str] = frozenset()

    def matches(self, record: Record) -> bool:
        """Whether `record` is chosen (its kind is checked by `choose`)."""
        if self.ids is not None and record.id not in self.ids:
            return False
        day = record.when.astimezone().date()
        if self.date_from is not None and day < self.date_from:
            return False
        if self.date_to is not None and day > self.date_to:
            return False
        if self.tags:
            wanted = {normalise_tag(t) for t in self.tags}
            have = {normalise_tag(t) for t in getattr(record, "tags", ())}
            if not wanted & have:
                return False
        return True


def normalise_tag(tag: str) -> str:
    """Tags compare without case and without a leading # or @."""
    return tag.strip().lstrip("#@").casefold()


def choose(journal, selection: Selection) -> list[Record]:
    """The chosen records, oldest first."""
    chosen: list[Record] = []
    # "Everything of these kinds" needs no test per record: skipping it saves a
    # time-zone conversion for each of a ten-year journal's 75,000 records.
    takes_all = (selection.ids is None and selection.date_from is None
                 and selection.date_to is None and not selection.tags)
    for kind in selection.kinds:
        cls = records.KINDS.get(kind)
        if cls is None:
            raise ValueError(_("There is no record kind called {kind!r}.").format(kind=kind))
        if takes_all:
            found = journal.records(cls)
        else:
            found = [r for r in journal.records(cls) if selection.matches(r)]
        if kind == "exercise" and "safety_plan" in selection.excluded:
            found = [r for r in found if not is_safety_plan(r)]
        chosen.extend(found)
    if len(selection.kinds) > 1:
        chosen.sort(key=attrgetter("when"))  # each kind is sorted: the sort merges runs
    return chosen


def iter_chosen(journal, selection: Selection) -> Iterator[Record]:
    """The records `choose` gives, in its order (oldest first; ties in the order
    of `selection.kinds`, then each kind's own order), one at a time: nothing
    is listed, so an export of everything never holds every record at once
    (the app builds each urge and entry it reads from its columns, and an
    export of ten times the benchmark journal would otherwise hold 765,000).
    An unknown kind is refused at once, before the first record."""
    takes_all = (selection.ids is None and selection.date_from is None
                 and selection.date_to is None and not selection.tags)
    leave_out_plan = "safety_plan" in selection.excluded
    runs: list[Iterable[Record]] = []
    for kind in selection.kinds:
        cls = records.KINDS.get(kind)
        if cls is None:
            raise ValueError(_("There is no record kind called {kind!r}.").format(kind=kind))
        found: Iterable[Record] = journal.records(cls)  # a view built as it is read
        if not takes_all:
            found = filter(selection.matches, found)
        if kind == "exercise" and leave_out_plan:
            found = (r for r in found if not is_safety_plan(r))
        runs.append(found)
    if len(runs) == 1:
        return iter(runs[0])
    # Each kind is oldest first; merge takes equal times from the earlier kind
    # first and keeps each kind's order: exactly `choose`'s stable sort.
    return heapq.merge(*runs, key=attrgetter("when"))


def count_chosen(journal, selection: Selection) -> int:
    """How many records `choose` gives, without making its list when every record
    of the chosen kinds is taken: the app holds urges as columns and would build
    each of them (half a million at ten times the benchmark journal) to count."""
    takes_all = (selection.ids is None and selection.date_from is None
                 and selection.date_to is None and not selection.tags)
    if not takes_all:
        return len(choose(journal, selection))
    count = 0
    for kind in selection.kinds:
        cls = records.KINDS.get(kind)
        if cls is None:
            raise ValueError(_("There is no record kind called {kind!r}.").format(kind=kind))
        if kind == "exercise" and "safety_plan" in selection.excluded:
            count += sum(1 for r in journal.records(cls) if not is_safety_plan(r))
        else:
            count += journal.count(cls)
    return count


def count_chosen_by_kind(journal, selection: Selection,
                         leaving_out: frozenset[str] = frozenset()) -> dict[str, int]:
    """How many records of each kind `choose` gives (less those whose ids are in
    `leaving_out`, unticked by hand), the kinds in the order their first record
    comes in its list; a kind with none is not named. No list is made: when
    every record of the chosen kinds is taken, each kind is counted as
    `count_chosen` counts it and only its first record is built; otherwise the
    records are gone through one at a time (`iter_chosen`)."""
    takes_all = (selection.ids is None and selection.date_from is None
                 and selection.date_to is None and not selection.tags)
    counts: dict[str, int] = {}
    if not takes_all or leaving_out or len(set(selection.kinds)) != len(selection.kinds):
        for record in iter_chosen(journal, selection):
            if record.id not in leaving_out:
                counts[record.kind] = counts.get(record.kind, 0) + 1
        return counts
    firsts = []
    for position, kind in enumerate(selection.kinds):
        one_kind = dataclasses.replace(selection, kinds=(kind,))
        first = next(iter_chosen(journal, one_kind), None)
        if first is not None:
            firsts.append((first.when, position, kind, count_chosen(journal, one_kind)))
    firsts.sort(key=lambda found: found[:2])  # ties: the earlier kind first, as `choose`
    return {kind: count for _when, _position, kind, count in firsts}


def choose_newest(journal, selection: Selection, n: int) -> tuple[list[Record], int]:
    """The newest `n` records `choose` gives (oldest first, as it orders them) and
    how many it gives in all: for the export screen's pick list, which shows the
    newest few. When every record of the chosen kinds is taken, only the newest
    `n` of each kind are looked at (the app builds each urge it reads from its
    columns: all of them would be half a million at ten times the benchmark)."""
    takes_all = (selection.ids is None and selection.date_from is None
                 and selection.date_to is None and not selection.tags)
    if not takes_all or n <= 0:
        found = choose(journal, selection)
        return (found[-n:] if n > 0 else []), len(found)
    tails: list[Record] = []
    for kind in selection.kinds:
        cls = records.KINDS.get(kind)
        if cls is None:
            raise ValueError(_("There is no record kind called {kind!r}.").format(kind=kind))
        found = journal.records(cls)
        if kind == "exercise" and "safety_plan" in selection.excluded:
            newest = list(islice((r for r in reversed(found) if not is_safety_plan(r)), n))
            tails.extend(reversed(newest))
        else:
            tails.extend(found[-n:])
    if len(selection.kinds) > 1:
        tails.sort(key=attrgetter("when"))  # as `choose` orders them, ties and all
    return tails[-n:], count_chosen(journal, selection)


SAFETY_PLAN_ID = "safety-plan"  # exercises.SAFETY_PLAN_ID (that module loads TOML lazily)


def is_safety_plan(record: Record) -> bool:
    """Whether `record` is (a version of) the person's safety plan."""
    return record.kind == "exercise" and record.exercise_id == SAFETY_PLAN_ID


def selection_subtitle(selection: Selection) -> str:
    """A line saying what was chosen, e.g. "Journal entries, Exercises · 2024-03-01 to …"."""
    parts = [", ".join(plural_kind_label(k) for k in selection.kinds)]
    if selection.date_from or selection.date_to:
        start = selection.date_from.isoformat() if selection.date_from else "…"
        end = selection.date_to.isoformat() if selection.date_to else "…"
        parts.append(_("{start} to {end}").format(start=start, end=end))
    if selection.tags:
        parts.append(_("tagged {tags}").format(tags=", ".join(clean(t) for t in selection.tags)))
    return " · ".join(parts)


def plural_kind_label(kind: str) -> str:
    """A kind named as a group of records, e.g. "Urges"."""
    return {
        "entry": _("Journal entries"),
        "exercise": _("Exercises"),
        "urge": _("Urges"),
        "use": _("Uses"),
        "checkin": _("Well-being check-ins"),
        "mood": _("Moods"),
        "meeting": _("Meetings"),
    }.get(kind, kind)
