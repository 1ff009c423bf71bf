"""The sealed summary: what the dashboard and `list -n N` need, kept with every write.

Unlocking used to decrypt and decode every record before the dashboard could be
drawn, so unlock grew with the journal. The summary holds, in one sealed row
(docs/FORMAT.md, "The summary"), the few figures the first screen needs:

- how many records of each kind;
- per addiction, per day with a use: how many uses and the amount (in thousandths
  of the unit, so adding and taking away never drifts the way floats do);
- per day with an urge: how many, and how many were acted on (the rest were
  resisted: an urge's outcome is one of the two);
- the most recent entries, check-ins, moods and meetings (when, created, id, and
  the score or mood), and the waiting drafts (purpose and time);
- for `stats` and the Progress charts: per addiction, per week (by its Monday) the
  urges, how many were acted on, the intensity sum, the sum and count of the
  ratings after coping, how often each trigger came and, per coping tool, how
  often it was used and how often the urge was acted on anyway; per addiction the
  urges by weekday and hour (the heatmap of the whole journal);
- per week the moods (the one-key moods and the entries' moods): their sum and
  how many (Progress's mood chart over the whole journal);
  per UTC offset the urges per day and the meetings per day, so a reader can tell
  whether a window that starts at local midnight cuts through a day's records (it
  then reads the records).

Triggers and coping tools are free text. So that the summary cannot grow without
limit from them, it keeps at most NAMES_KEPT distinct names of each (of at most
NAME_LONGEST characters); a journal with more holds none of them ("words": null)
and `stats` reads the urges for those two lines.

A write changes one week: the week rows are kept as they are stored (counts by the
position of a name in an append-only list of names; one offset's urge days left
implied by the urge day table), so reading, changing and writing the summary in a
write's transaction stays around ten milliseconds on a ten-year journal.

It is a pure value: `build` makes one from records, `change` takes one record out
and puts one in, in the same transaction as the write (the vault calls it with the
old and the new plaintext, so two processes writing at once cannot both miss each
other's change). `agrees_with` compares a kept summary with one rebuilt from the
records: the kept "most recent" lists may be shorter than a rebuilt one's (a
deleted entry's place is not filled until the next rebuild), never different.

Days are the calendar day of `when` in the offset it was written with, as
`insights.day_of(when)` counts them without a time zone.

The per-day and per-week tables grow with the journal's years (at ten times the
benchmark journal they are most of its 440 KB); the dashboard needs none of them
whole. So they are stored as one JSON string ("tables") beside a small "glance"
made from them when the summary is written: per addiction the days of use of
the last 91 days with one, the first, how many and the longest gap between two;
the last few days with urges. The dashboard's read (`Journal.summary()`,
`from_json(..., lazy=True)`) parses only the rest and the glance; the tables are
parsed the first time something asks for them (Progress, `stats`, a limit goal).
A summary of version 3 (all tables parsed at once) is still read; the check after
the full read stores it again as version 4.
"""

from __future__ import annotations

import gc
import heapq
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from itertools import accumulate
from operator import itemgetter, sub
from typing import Iterable, Iterator

import orjson

from . import records
from .records import Checkin, Draft, Entry, Meeting, Mood, Record, Urge, Use

VERSION = 4  # 2: urge weeks with trigger and coping counts, urge and meeting offsets;
# 3: intensity sums in the week rows, urges by weekday and hour, urge days [n, acted],
# moods per week; 4: the tables in one string, beside the dashboard's glance
OLDEST_READ = 3  # a version-3 summary is read (and stored again as 4 by the check)
# The glance: the last days with a use of each addiction (91: every day of use of
# the last 90 days, the dashboard's longest window, is among them), and the last
# days with urges (today's count, whatever the clock says within a week).
GLANCE_USE_DAYS = 91
GLANCE_URGE_DAYS = 8
# The fields kept in the "tables" string, parsed on first use (Summary.__getattr__).
TABLES = ("uses", "urges", "rows", "hours", "moods", "other_offsets", "meetings")
_tables_lock = threading.Lock()
# How many of the most recent records of each kind are kept (`list -n 10` and the
# dashboard read a handful; a deletion leaves one place empty until a rebuild).
RECENT = {"entry": 50, "checkin": 8, "mood": 8, "meeting": 256}
MILLI = 1000  # amounts are kept in thousandths of the unit


NAMES_KEPT = 64  # distinct trigger names, and distinct coping tools, kept at most
NAME_LONGEST = 60  # characters; a longer name is not kept (see the module docstring)
MAX_MILLI = 10**15  # the largest amount a use may have (validation: below 1e12)


def _milli(amount: float | None) -> int:
    # A use without an amount counts as 1 of the unit (insights.amounts_per_day).
    # An amount no app would write (infinite, not a number, absurdly large: a
    # record imported or edited outside) is held to the bounds, never an error.
    try:
        return max(0, min(round((1 if amount is None else amount) * MILLI), MAX_MILLI))
    except (OverflowError, ValueError, TypeError):
        return MAX_MILLI if amount == float("inf") else 0


class DayOfUse:
    """A day's uses of one addiction as one use (what streaks and limits count)."""

    __slots__ = ("addiction", "amount", "when", "minutes")

    def __init__(self, addiction: str, amount: float, when: datetime):
        self.addiction, self.amount, self.when, self.minutes = addiction, amount, when, None


@dataclass
class Summary:
    """See the module docstring. `writes` is the sealed write count it belongs to."""

    # Not fields: the version it was read as, and its glance as read (None when
    # built here, or changed since: the tables then say it).
    version = VERSION
    _glance_read = None

    writes: int = 0
    kinds: dict[str, int] = field(default_factory=dict)
    # Days as ordinals (date.toordinal), so a write converts no dates.
    uses: dict[str, dict[int, list[int]]] = field(default_factory=dict)  # name -> day -> [n, milli]
    urges: dict[int, list[int]] = field(default_factory=dict)  # day -> [n, acted]
    recent: dict[str, list[list]] = field(default_factory=dict)  # kind -> [[when, created, id, value]]
    drafts: dict[str, list[str]] = field(default_factory=dict)  # id -> [purpose, updated]
    # Weeks as the ordinal of their Monday (of the day of `when` in its own offset):
    # name -> week -> [urges, acted, intensity sum, after-coping sum, re-rated,
    #                  per trigger slot, per tool slot: used, acted]
    rows: dict[str, dict[int, list]] = field(default_factory=dict)
    # name -> 168 urge counts by weekday x 24 + hour of `when` in its own offset
    # (zeros at the end left off)
    hours: dict[str, list[int]] = field(default_factory=dict)
    moods: dict[int, list[int]] = field(default_factory=dict)  # Monday -> [sum, n]
    trigger_names: list[str] = field(default_factory=list)  # slots, in order of arrival
    tool_names: list[str] = field(default_factory=list)
    words_dropped: bool = False  # too many or too long trigger/coping names: none kept
    main_offset: int | None = None  # seconds east of UTC; its days follow from `urges`
    other_offsets: dict[int, dict[int, list[int]]] = field(default_factory=dict)  # offset -> day -> [n]
    meetings: dict[int, dict[int, list[int]]] = field(default_factory=dict)  # offset -> day -> [n]

    # ---- reading -----------------------------------------------------------------

    def count(self, kind: str) -> int:
        return self.kinds.get(kind, 0)

    def uses_by_day(self, addiction: str | None = None) -> list["DayOfUse"]:
        """One `Use` per addiction and day with a use, the day's amount summed: what
        `insights.streaks` and `insights.limit_days` count (not how many uses).
        Only those of `addiction` (a normalised name) when given."""
        found = []
        for name, days in self.uses.items():
            if addiction is not None and name != addiction:
                continue
            for day, (_count, milli) in days.items():
                found.append(DayOfUse(name, milli / MILLI,
                                      datetime.combine(date.fromordinal(day), time(12))))
        found.sort(key=lambda u: u.when)
        return found

    def streak_days(self, addiction: str, today: date) -> tuple[list[int], int, int, int] | None:
        """From the glance, without the tables: (the days of use of `addiction` (a
        normalised name) in the last 91 days with one, ascending; the first day of
        use; the longest gap b - a between two consecutive days of use, 0 with fewer
        than two; how many days had a use), what `insights.streaks_of_recent_days`
        counts from. Days as `date.toordinal` numbers. None when the tables are
        parsed already (use `use_day_numbers`) or a use is dated after `today` (a
        clock mistake: the whole table decides)."""
        glance = self.__dict__.get("_glance_read")
        if glance is None or "_tables" not in self.__dict__:
            return None
        found = glance["uses"].get(addiction)
        if found is None:
            return [], 0, 0, 0
        recent = found["last"]
        if recent and recent[-1] > today.toordinal():
            return None
        return list(recent), found["first"], found["gap"], found["n"]

    def use_day_numbers(self, addiction: str) -> list[int]:
        """The days with a use of `addiction` (a normalised name) as `date.toordinal`
        numbers, in no order (`insights.streaks_of_day_numbers` counts from them)."""
        return list(self.uses.get(addiction, {}))

    def urges_on(self, day: date) -> tuple[int, int, int]:
        """(urges, resisted, acted) on `day` (from the glance when it can say)."""
        number = day.toordinal()
        glance = self.__dict__.get("_glance_read")
        if glance is not None and "_tables" in self.__dict__:
            last = glance["urges"]
            if number in last or len(last) < GLANCE_URGE_DAYS or (last and number > min(last)):
                n, acted = last.get(number, (0, 0))
                return n, n - acted, acted
        n, acted = self.urges.get(number, (0, 0))
        return n, n - acted, acted

    def recent_ids(self, kind: str, n: int) -> list[str] | None:
        """The ids of the `n` most recent records of `kind`, newest first, or None
        when the summary does not know them all (a deletion emptied a place)."""
        kept = self.recent.get(kind, [])
        wanted = min(n, self.count(kind))
        if len(kept) < wanted:
            return None
        return [item[2] for item in kept[:wanted]]

    def latest(self, kind: str) -> datetime | None:
        """`when` of the most recent record of `kind` (None when there is none)."""
        kept = self.recent.get(kind, [])
        return datetime.fromisoformat(kept[0][0]) if kept else None

    def latest_value(self, kind: str):
        kept = self.recent.get(kind, [])
        return kept[0][3] if kept else None

    def count_since(self, kind: str, moment: datetime) -> int | None:
        """How many records of `kind` are about `moment` or later; None when more of
        them may exist than the summary keeps."""
        kept = self.recent.get(kind, [])
        found = sum(1 for item in kept if datetime.fromisoformat(item[0]) >= moment)
        if found == len(kept) and len(kept) < self.count(kind):
            return None
        return found

    def draft_purposes(self) -> list[str]:
        """The purposes of the waiting drafts, oldest first."""
        return [purpose for purpose, _updated in sorted(
            self.drafts.values(), key=lambda d: datetime.fromisoformat(d[1]))]

    def urge_window(self, start: datetime, today: date, weeks: int,
                    addiction: str | None = None) -> "UrgeWindow | None":
        """The urges from `start` (a local midnight, a Monday: `stats`'s window) on,
        as the records would give them; None when the summary cannot say exactly:
        an urge logged in another UTC offset falls on the window's edge, or one is
        dated after `today` in this week (a clock mistake; the records place it).

        The window counts an urge by its moment, the weeks by the day of `when` in
        its own offset; away from the edge the two agree."""
        first = start.date().toordinal()
        local = int(start.utcoffset().total_seconds()) if start.utcoffset() is not None else 0
        last_day = today.toordinal()
        this_week = last_day - today.weekday()
        for day in range(first - 2, first + 2):
            for offset in self.offsets_on(day):
                # The day's moments run from its midnight to the next, in its offset.
                gap = (day - first) * 86400 - (offset - local)
                wholly_in, wholly_out = gap >= 0, gap + 86400 <= 0
                if not (wholly_in and day >= first or wholly_out and day < first):
                    return None
        if self.urges_later_this_week(today):
            return None
        wanted = [addiction] if addiction is not None else list(self.rows)
        axis = [this_week - 7 * n for n in range(weeks - 1, -1, -1)]
        window = UrgeWindow(axis=axis)
        kept_words = self.keeps_words()
        window.triggers = {} if kept_words else None
        window.coping = {} if kept_words else None
        for name in wanted:
            series = [0] * weeks
            triggers = [0] * len(self.trigger_names)
            used, acted_with = [0] * len(self.tool_names), [0] * len(self.tool_names)
            for week, (n, acted, _i, _a, _r, *words) in self.rows.get(name, {}).items():
                if week < first:
                    continue
                window.urges += n
                window.acted += acted
                if week <= this_week:
                    series[(week - axis[0]) // 7] += n
                if kept_words:
                    for total, counts in zip((triggers, used, acted_with), words):
                        for slot, count in enumerate(counts):
                            total[slot] += count
            if any(series):
                window.per_week[name] = series
            if kept_words:
                for trigger, count in zip(self.trigger_names, triggers):
                    if count:
                        window.triggers[trigger] = window.triggers.get(trigger, 0) + count
                for tool, n, acted in zip(self.tool_names, used, acted_with):
                    if n:
                        found = window.coping.setdefault(tool, [0, 0])
                        found[0] += n
                        found[1] += n - acted
        return window

    def offsets_on(self, day: int) -> set[int]:
        """The UTC offsets (seconds east) of the urges on `day` (an ordinal)."""
        found = {offset for offset, days in self.other_offsets.items() if day in days}
        cells = self.urges.get(day)
        if cells is not None and self.main_offset is not None and cells[0] > sum(
                days[day][0] for days in self.other_offsets.values() if day in days):
            found.add(self.main_offset)
        return found

    def urges_later_this_week(self, today: date) -> bool:
        """Whether an urge is dated after `today` in today's week (a clock mistake,
        or an import): the week rows cannot leave it out as the records do."""
        last = today.toordinal()
        return any(day in self.urges for day in range(last + 1, last + 7 - today.weekday()))

    def latest_checkin_since(self, first_day: date) -> tuple[date, int] | None | bool:
        """(day, percent) of the check-in `insights.who5_over_time(since=first_day)`
        gives last (the latest day by `when` in its own offset; that day's highest
        score); None when there is none from `first_day` on; False when the
        summary's few most recent check-ins cannot say (the records can)."""
        kept = self.recent.get("checkin", [])
        points = [(datetime.fromisoformat(item[0]), item[3]) for item in kept]
        best = max(((when.date(), percent) for when, percent in points
                    if when.date() >= first_day), default=None)
        if len(kept) == self.count("checkin"):
            return best
        if not kept or len(kept) < min(RECENT["checkin"], self.count("checkin")):
            return False
        # One not kept is no later by its moment than the oldest kept: its own day is
        # at most one after that moment's UTC day (offsets are under a day).
        bound = points[-1][0].astimezone(timezone.utc).date() + timedelta(days=1)
        if best is None:
            return None if bound < first_day else False
        return best if bound < best[0] else False

    def meetings_since(self, start: datetime) -> int | None:
        """How many meetings are about `start` (a local midnight) or later, as the
        records would count them; None when a day's meetings, written in another
        UTC offset, may fall on both sides of it."""
        first = start.date().toordinal()
        local = _offset(start)
        found = 0
        for offset, days in self.meetings.items():
            for day, (n,) in days.items():
                gap = (day - first) * 86400 - (offset - local)
                if gap >= 0:
                    found += n
                elif gap + 86400 > 0:
                    return None  # the day's moments run across `start`
        return found

    def meeting_days(self, today: date, first_day: date | None) -> list[tuple[int, int]] | None:
        """(day ordinal, meetings) of each day from `first_day` (every day when None)
        to `today`, days in each meeting's own offset, as the Progress screen counts
        them; None when one on `first_day`, written more than a day east of this
        clock, may fall before the screen's range (it starts a day early)."""
        last = today.toordinal()
        first = first_day.toordinal() if first_day is not None else 0
        if first_day is not None:
            start = datetime.combine(first_day - timedelta(days=1), time(0)).astimezone()
            local = _offset(start)
            if any(offset - local > 86400 and first in days
                   for offset, days in self.meetings.items()):
                return None
        found: dict[int, int] = {}
        for days in self.meetings.values():
            for day, (n,) in days.items():
                if first <= day <= last:
                    found[day] = found.get(day, 0) + n
        return sorted(found.items())

    # ---- changing ------------------------------------------------------------------

    def take_out(self, record: Record) -> None:
        kind = record.kind
        left = self.kinds.get(kind, 0) - 1
        if left > 0:
            self.kinds[kind] = left
        else:
            self.kinds.pop(kind, None)
        if isinstance(record, Use):
            name = records.normalise_addiction(record.addiction)
            days = self.uses.get(name, {})
            _subtract(days, record.when.date().toordinal(), [1, _milli(record.amount)])
            if not days:
                self.uses.pop(name, None)
        elif isinstance(record, Urge):
            _subtract(self.urges, record.when.date().toordinal(), _urge_cells(record))
            self._urge_weeks(record, -1)
        elif isinstance(record, Meeting):
            self._meeting(record, -1)
        elif isinstance(record, Draft):
            self.drafts.pop(record.id, None)
        if isinstance(record, (Entry, Mood)) and record.mood is not None:
            _subtract(self.moods, _monday(record.when), [1, int(record.mood)])
        if kind in RECENT:
            kept = self.recent.get(kind, [])
            self.recent[kind] = [item for item in kept if item[2] != record.id]

    def put_in(self, record: Record) -> None:
        kind = record.kind
        before = self.kinds.get(kind, 0)
        self._count(record)
        if kind in RECENT:
            kept = self.recent.setdefault(kind, [])
            item = _recent_item(record)
            # Only where its place is known: the list holds every record of the kind,
            # or the new one is at least as recent as the last one kept.
            if len(kept) >= before or (kept and _order(item) >= _order(kept[-1])):
                kept.append(item)
                kept.sort(key=_order, reverse=True)
                del kept[RECENT[kind]:]

    def _count(self, record: Record) -> None:
        """Add `record` to the counts, days and weeks (not to the "most recent"
        lists: a rebuild sorts those once at the end)."""
        kind = record.kind
        self.kinds[kind] = self.kinds.get(kind, 0) + 1
        if isinstance(record, Use):
            name = records.normalise_addiction(record.addiction)
            _add(self.uses.setdefault(name, {}), record.when.date().toordinal(),
                 [1, _milli(record.amount)])
        elif isinstance(record, Urge):
            _add(self.urges, record.when.date().toordinal(), _urge_cells(record))
            self._urge_weeks(record, 1)
        elif isinstance(record, Meeting):
            self._meeting(record, 1)
        elif isinstance(record, Draft):
            self.drafts[record.id] = [record.purpose, record.updated.isoformat()]
        if isinstance(record, (Entry, Mood)) and record.mood is not None:
            _add(self.moods, _monday(record.when), [1, int(record.mood)])

    def _urge_weeks(self, urge: Urge, sign: int) -> None:
        """Put `urge` in (sign 1) or take it out (-1) of the week rows and offsets."""
        when = urge.when
        day = when.date().toordinal()
        week = day - when.weekday()
        name = records.normalise_addiction(urge.addiction)
        acted = int(urge.outcome == "acted")
        rows = self.rows.setdefault(name, {})
        row = rows.get(week)
        if row is None:
            row = rows[week] = [0, 0, 0, 0, 0, [], [], []]
        row[0] += sign
        row[1] += sign * acted
        row[2] += sign * int(urge.intensity)
        if urge.intensity_after is not None:
            row[3] += sign * int(urge.intensity_after)
            row[4] += sign
        hours = self.hours.setdefault(name, [])
        _bump(hours, when.weekday() * 24 + when.hour, sign)
        if not hours:
            del self.hours[name]
        if not self.words_dropped:
            trigger = records.normalise_addiction(urge.trigger) if urge.trigger else ""
            slots = []
            if trigger:
                slots.append((5, self._slot(self.trigger_names, trigger)))
            # As insights.coping_that_worked: a tool named twice in one urge counts once.
            for tool in dict.fromkeys(urge.coping):
                if tool:
                    slot = self._slot(self.tool_names, tool)
                    slots.append((6, slot))
                    if acted:
                        slots.append((7, slot))
            if any(slot is None for _column, slot in slots):
                self._drop_words()
            else:
                for column, slot in slots:
                    _bump(row[column], slot, sign)
        if row[0] <= 0:
            del rows[week]
        if not rows:
            del self.rows[name]
        offset = _offset(when)
        if self.main_offset is None:
            self.main_offset = offset
        if offset != self.main_offset:
            days = self.other_offsets.setdefault(offset, {})
            (_add if sign > 0 else _subtract)(days, day, [1])
            if not days:
                del self.other_offsets[offset]

    def _meeting(self, meeting: Meeting, sign: int) -> None:
        offset = _offset(meeting.when)
        days = self.meetings.setdefault(offset, {})
        (_add if sign > 0 else _subtract)(days, meeting.when.date().toordinal(), [1])
        if not days:
            del self.meetings[offset]

    @staticmethod
    def _slot(names: list[str], name: str) -> int | None:
        """The position of `name` in `names`, added at the end when new; None when
        it cannot be kept (too long, or the list is full)."""
        try:
            return names.index(name)
        except ValueError:
            if len(names) >= NAMES_KEPT or len(name) > NAME_LONGEST:
                return None
            names.append(name)
            return len(names) - 1

    def _drop_words(self) -> None:
        self.words_dropped = True
        self.trigger_names, self.tool_names = [], []
        for rows in self.rows.values():
            for row in rows.values():
                row[5:] = [[], [], []]

    def keeps_words(self) -> bool:
        """Whether the trigger and coping counts are kept (not too many names)."""
        return not self.words_dropped

    # What the rows say, by name (for comparing; `stats` reads the rows).

    @property
    def weeks(self) -> dict[str, dict[int, list[int]]]:
        """name -> week -> [urges, acted, intensity sum, after-coping sum, re-rated]."""
        return {name: {week: row[:5] for week, row in rows.items()}
                for name, rows in self.rows.items()}

    @property
    def triggers(self) -> dict[str, dict[int, dict[str, list[int]]]]:
        """name -> week -> trigger -> [urges]."""
        return self._by_name(lambda row: {
            self.trigger_names[slot]: [n] for slot, n in enumerate(row[5]) if n})

    @property
    def coping(self) -> dict[str, dict[int, dict[str, list[int]]]]:
        """name -> week -> tool -> [used, resisted]."""
        def tools(row):
            acted = row[7] + [0] * len(row[6])
            return {self.tool_names[slot]: [n, n - acted[slot]]
                    for slot, n in enumerate(row[6]) if n}
        return self._by_name(tools)

    def _by_name(self, read) -> dict:
        found: dict = {}
        for name, rows in self.rows.items():
            for week, row in rows.items():
                counts = read(row)
                if counts:
                    found.setdefault(name, {})[week] = counts
        return found

    @property
    def offsets(self) -> dict[int, dict[int, list[int]]]:
        """Seconds east of UTC -> day -> [urges written in that offset that day]."""
        found = {offset: dict(days) for offset, days in self.other_offsets.items()}
        if self.main_offset is not None:
            main = {}
            for day, cells in self.urges.items():
                left = cells[0] - sum(other[day][0] for other in self.other_offsets.values()
                                      if day in other)
                if left > 0:
                    main[day] = [left]
            if main:
                found[self.main_offset] = main
        return found

    def change(self, old: Record | None, new: Record | None) -> None:
        """Take `old` out and put `new` in (an add, an edit or a delete)."""
        self._glance_read = None  # what was read no longer holds; to_json makes it again
        if old is not None:
            self.take_out(old)
        if new is not None:
            self.put_in(new)

    # ---- comparing and storing -----------------------------------------------------

    def agrees_with(self, rebuilt: "Summary") -> bool:
        """True when this kept summary says what `rebuilt` (made from the records)
        says: every count equal, each "most recent" list the start of the rebuilt one."""
        if (self.kinds, self.uses, self.urges, self.drafts, self.weeks, self.offsets,
                self.meetings, self.hours, self.moods) != (
                    rebuilt.kinds, rebuilt.uses, rebuilt.urges, rebuilt.drafts, rebuilt.weeks,
                    rebuilt.offsets, rebuilt.meetings, rebuilt.hours, rebuilt.moods):
            return False
        # Names dropped (too many once) say nothing, which is never wrong.
        if self.keeps_words() and rebuilt.keeps_words() and (
                self.triggers, self.coping) != (rebuilt.triggers, rebuilt.coping):
            return False
        for kind in RECENT:
            mine, theirs = self.recent.get(kind, []), rebuilt.recent.get(kind, [])
            if [i[2] for i in mine] != [i[2] for i in theirs[:len(mine)]]:
                return False
        # The glance as stored says what the records' tables say (the dashboard
        # reads it alone).
        glance = self.__dict__.get("_glance_read")
        return glance is None or glance == _read_glance(
            orjson.loads(orjson.dumps(rebuilt._glance())))

    def _glance(self) -> dict:
        """The glance as stored (see the module docstring; docs/FORMAT.md)."""
        uses = {}
        for name, days in self.uses.items():
            if not days:
                continue  # never kept empty; never an error in a write either
            ordered = sorted(days)
            uses[name] = {"n": len(ordered), "first": ordered[0],
                          "gap": max(map(sub, ordered[1:], ordered), default=0),
                          "last": ordered[-GLANCE_USE_DAYS:]}
        last_urges = sorted(self.urges)[-GLANCE_URGE_DAYS:]
        return {"uses": uses, "urges": [[day, *self.urges[day]] for day in last_urges]}

    def __getattr__(self, name: str):
        # Only for the tables of a summary read lazily (from_json(lazy=True)),
        # until they are parsed: every other attribute is found without this.
        if name not in TABLES or "_tables" not in self.__dict__:
            raise AttributeError(name)
        with _tables_lock:
            tables = self.__dict__.get("_tables")
            if tables is not None:
                try:
                    with _collector_paused():
                        self.__dict__.update(_read_tables(orjson.loads(tables),
                                                          not self.words_dropped))
                except (KeyError, TypeError, AttributeError, IndexError, ValueError):
                    # Sealed, so only this app wrote it; never a crash for a screen:
                    # empty tables, and the check after the full read rebuilds it.
                    self.__dict__.update({field: {} for field in TABLES})
                del self.__dict__["_tables"]
        return self.__dict__[name]

    def to_json(self) -> bytes:
        # Day maps as columns (day numbers as gaps from the previous day): a ten-year
        # journal with daily uses of four addictions stays well under 256 KiB.
        # orjson: this runs in the transaction of every write.
        tables = {
            "uses": {name: _columns(days) for name, days in self.uses.items()},
            "urges": _columns(self.urges),
        }
        tables["meetings"] = {str(offset): _columns(days)
                              for offset, days in self.meetings.items()}
        tables["offsets"] = {str(offset): _columns(days)
                             for offset, days in self.other_offsets.items()}
        tables["weeks"] = {name: _week_table(rows, not self.words_dropped)
                           for name, rows in self.rows.items()}
        tables["hours"] = self.hours
        tables["moods"] = _week_cells(self.moods)
        document = {
            "v": VERSION, "writes": self.writes, "kinds": self.kinds,
            "recent": self.recent, "drafts": self.drafts, "offset": self.main_offset,
            "words": None if self.words_dropped else {
                "t": self.trigger_names, "k": self.tool_names},
            "glance": self._glance(),
            # A string: a reader that wants only the rest skips it in one step.
            "tables": orjson.dumps(tables, option=orjson.OPT_SORT_KEYS).decode(),
        }
        return orjson.dumps(document, option=orjson.OPT_SORT_KEYS)

    @classmethod
    def from_json(cls, payload: bytes, lazy: bool = False) -> "Summary":
        """Raises ValueError when the payload is not a summary this version reads.
        (It is sealed: only the app writes it, so its cells are taken as written.)
        `lazy`: the tables are parsed when first asked for (the dashboard at unlock
        reads the glance alone); a table that then does not parse reads as empty
        (the check after the full read rebuilds such a summary)."""
        # Tens of thousands of small lists (a cell per day and week), all kept: the
        # collector, woken by their number, would walk the app's whole heap several
        # times over and find nothing to free. At 10x that tripled the time to read
        # the summary at unlock (bench/NOTES.md); it is paused for the read.
        with _collector_paused():
            return cls._from_json(payload, lazy)

    @classmethod
    def _from_json(cls, payload: bytes, lazy: bool) -> "Summary":
        try:
            raw = orjson.loads(payload)
            version = raw.get("v")
            if version not in (OLDEST_READ, VERSION):
                raise ValueError("a summary of another version")
            found = cls(writes=int(raw["writes"]), kinds=dict(raw["kinds"]),
                        recent=dict(raw["recent"]), drafts=dict(raw["drafts"]),
                        main_offset=None if raw["offset"] is None else int(raw["offset"]))
            found.version = version
            words = raw["words"]
            found.words_dropped = words is None
            if words is not None:
                found.trigger_names, found.tool_names = list(words["t"]), list(words["k"])
            if version == OLDEST_READ:
                found.__dict__.update(_read_tables(raw, words is not None))
                return found
            found._glance_read = _read_glance(raw["glance"])
            tables = raw["tables"]
            if not isinstance(tables, str):
                raise ValueError("not a summary")
            if lazy:
                for name in TABLES:
                    del found.__dict__[name]
                found._tables = tables
            else:
                found.__dict__.update(_read_tables(orjson.loads(tables), words is not None))
        except (KeyError, TypeError, AttributeError, IndexError, orjson.JSONDecodeError) as exc:
            raise ValueError("not a summary") from exc
        return found


def _read_tables(raw: dict, words: bool) -> dict:
    """The tables' fields of a Summary from their stored form (raises on a wrong one)."""
    return {
        "uses": {str(k): _days(v) for k, v in raw["uses"].items()},
        "urges": _days(raw["urges"]),
        "other_offsets": {int(k): _days(v) for k, v in raw["offsets"].items()},
        "meetings": {int(k): _days(v) for k, v in raw["meetings"].items()},
        "rows": {str(name): _read_week_table(table, words)
                 for name, table in raw["weeks"].items()},
        "hours": {str(name): list(cells) for name, cells in raw["hours"].items()},
        "moods": _read_week_cells(raw["moods"]),
    }


def _read_glance(raw: dict) -> dict:
    """The glance as stored, checked: {"uses": name -> {"n", "first", "gap", "last"},
    "urges": day -> [n, acted]} (raises on a wrong one)."""
    uses = {}
    for name, found in raw["uses"].items():
        last = [int(day) for day in found["last"]]
        if last != sorted(set(last)) or len(last) > GLANCE_USE_DAYS:
            raise ValueError("not a glance")
        uses[str(name)] = {"n": int(found["n"]), "first": int(found["first"]),
                           "gap": int(found["gap"]), "last": last}
    urges = {int(day): [int(n), int(acted)] for day, n, acted in raw["urges"]}
    if len(urges) > GLANCE_URGE_DAYS:
        raise ValueError("not a glance")
    return {"uses": uses, "urges": urges}


@dataclass
class UrgeWindow:
    """The urges of `stats`'s window (Summary.urge_window): how many, how many were
    acted on, per addiction the urges of each week of `axis` (Monday ordinals,
    oldest first), and the trigger and coping counts (None when not kept)."""

    axis: list[int]
    urges: int = 0
    acted: int = 0
    per_week: dict[str, list[int]] = field(default_factory=dict)
    triggers: dict[str, int] | None = None
    coping: dict[str, list[int]] | None = None  # tool -> [used, resisted]


def build(all_records: Iterable[Record], writes: int = 0) -> Summary:
    """The summary of these records (every record of the journal)."""
    summary = Summary(writes=writes)
    # The newest few of each kind, as sorting every item by _order would give them
    # (ids are unique: no ties), kept in a heap of that size as the records go by:
    # records held as columns are built one at a time (record_columns.py), and
    # keeping every entry until the end held 200,000 of them at ten times the
    # benchmark journal. Made into items only once chosen.
    recent: dict[str, list[tuple[tuple, Record]]] = {kind: [] for kind in RECENT}
    for record in all_records:
        summary._count(record)
        heap = recent.get(record.kind)
        if heap is not None:
            keyed = (_record_order(record), record)
            if len(heap) < RECENT[record.kind]:
                heapq.heappush(heap, keyed)
            elif keyed[0] > heap[0][0]:
                heapq.heapreplace(heap, keyed)
    for kind, heap in recent.items():
        newest = [record for _order, record in sorted(heap, key=itemgetter(0), reverse=True)]
        summary.recent[kind] = [_recent_item(record) for record in newest]
    summary.recent = {k: v for k, v in summary.recent.items() if v}
    # The offset most urges were written with goes without its days (the smallest
    # of those tied): the fewest days to write.
    offsets = summary.offsets
    summary.main_offset = max(offsets, key=lambda o: (sum(c[0] for c in offsets[o].values()), -o),
                              default=None)
    summary.other_offsets = {o: days for o, days in offsets.items() if o != summary.main_offset}
    return summary


def apply(payload: bytes, record_id: str, old: bytes | None, new: bytes | None,
          writes_before: int, writes: int) -> bytes | None:
    """The vault's hook (vault.Vault.write): the summary `payload` with the record
    `record_id` as it was (`old`, its plaintext; None for a new record) replaced by
    `new` (None for a delete), marked with the state's new write count. None when
    it cannot be kept exactly (a summary of another write count, an unreadable
    record): it is then left as it is, stale, and rebuilt later."""
    try:
        summary = Summary.from_json(payload)
        if summary.writes != writes_before:
            return None
        before = _record(record_id, old) if old is not None else None
        after = _record(record_id, new) if new is not None else None
    except ValueError:
        return None
    try:
        summary.change(before, after)
        summary.writes = writes
        return summary.to_json()
    except (TypeError, ValueError, OverflowError):
        return None  # never a reason for a write to fail: left stale, rebuilt later


def _record(record_id: str, payload: bytes) -> Record:
    try:
        return records.from_json(record_id, payload.rstrip(b" "))
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError("unreadable record") from exc


# ---- internals -----------------------------------------------------------------


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for a moment (it is process-wide: left
    on when it already was off, for whoever turned it off)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _urge_cells(urge: Urge) -> list[int]:
    return [1, int(urge.outcome == "acted")]


def _offset(when: datetime) -> int:
    offset = when.utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


def _bump(counts: list[int], slot: int, sign: int) -> None:
    """Add `sign` at `slot`, keeping no zeros at the end (as stored)."""
    if slot >= len(counts):
        counts.extend([0] * (slot + 1 - len(counts)))
    counts[slot] += sign
    while counts and not counts[-1]:
        counts.pop()


def _week_table(rows: dict[int, list], words: bool) -> dict:
    """An addiction's week rows as stored: "w" gaps in weeks (the first from week 0;
    week 1 is the one of 1 January of year 1, a Monday), "c" the rows (without
    their name counts when the names are not kept)."""
    ordered = sorted(rows)
    numbers = [(monday - 1) // 7 + 1 for monday in ordered]
    return {"w": [b - a for a, b in zip([0, *numbers], numbers)],
            "c": [rows[w] if words else rows[w][:5] for w in ordered]}


def _read_week_table(table: dict, words: bool) -> dict[int, list]:
    gaps, cells = table["w"], table["c"]
    if len(gaps) != len(cells) or (gaps and min(gaps) < 1):
        raise ValueError("not a week table")
    rows = {}
    for number, row in zip(accumulate(gaps), cells):
        if len(row) != (8 if words else 5):
            raise ValueError("not a week row")
        rows[7 * (number - 1) + 1] = row if words else [*row, [], [], []]
    return rows


def _monday(when: datetime) -> int:
    """The ordinal of the Monday of the day of `when` in its own offset."""
    return when.toordinal() - when.weekday()


def _week_cells(weeks: dict[int, list[int]]) -> dict:
    """{"w": gaps in weeks (as in a week table), "c": cells}."""
    ordered = sorted(weeks)
    numbers = [(monday - 1) // 7 + 1 for monday in ordered]
    return {"w": [b - a for a, b in zip([0, *numbers], numbers)],
            "c": [weeks[w] for w in ordered]}


def _read_week_cells(table: dict) -> dict[int, list[int]]:
    gaps, cells = table["w"], table["c"]
    if len(gaps) != len(cells) or (gaps and min(gaps) < 1):
        raise ValueError("not a week table")
    return {7 * (number - 1) + 1: list(row) for number, row in zip(accumulate(gaps), cells)}


def _add(days: dict[int, list[int]], day: int, cells: list[int]) -> None:
    found = days.get(day)
    if found is None:
        days[day] = list(cells)
    else:
        for n, value in enumerate(cells):
            found[n] += value


def _subtract(days: dict[int, list[int]], day: int, cells: list[int]) -> None:
    found = days.get(day)
    if found is None:
        return
    for n, value in enumerate(cells):
        found[n] -= value
    if found[0] <= 0:
        del days[day]


def _recent_item(record: Record) -> list:
    value = None
    if isinstance(record, Checkin):
        value = record.percent
    elif isinstance(record, Mood):
        value = record.mood
    return [record.when.isoformat(), record.created.isoformat(), record.id, value]


def _record_order(record: Record) -> tuple:
    """`_order` of a record's item, from the record itself."""
    return record.when, record.created, record.id


def _order(item: list) -> tuple:
    return datetime.fromisoformat(item[0]), datetime.fromisoformat(item[1]), item[2]


def _columns(days: dict[int, list[int]]) -> dict:
    """{"d": gaps in days from the previous day (the first from day 0), "c": cells}."""
    ordered = sorted(days)
    gaps = [b - a for a, b in zip([0, *ordered], ordered)]
    return {"d": gaps, "c": [days[d] for d in ordered]}


def _days(columns: dict) -> dict[int, list[int]]:
    days = list(accumulate(columns["d"]))
    if len(days) != len(columns["c"]) or (days and min(columns["d"]) < 1):
        raise ValueError("not a day table")
    return dict(zip(days, columns["c"]))
