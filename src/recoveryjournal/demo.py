"""Sample data for `recoveryjournal demo`: 90 days of a plausible recovery journal.

Everything goes through the `Journal` API, so the demo journal is an ordinary,
encrypted journal. `populate` is deterministic for a seed and a `today`, so tests
and screenshots are stable. The story: someone tracking alcohol and gambling (both
abstinence) and nicotine (a limit of five a day). Urges are frequent and strong at
first and ease over the weeks, with one alcohol lapse around day 40 that is logged
as information; well-being check-ins rise slowly; a weekly group meeting; a few
entries and exercises (urge surfing, lifestyle balance, cost-benefit, a safety plan).
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from . import records
from .journal import Journal
from .records import (Addiction, Checkin, Entry, ExerciseResponse, Meeting, Mood, Record, Urge,
                      Use)

DEMO_PASSPHRASE = "demo-journal"
DEMO_ZONE = ZoneInfo("Europe/Stockholm")

TRIGGERS = {
    "alcohol": ["stress", "after work", "friday", "people", "tired", "boredom"],
    "gambling": ["payday", "sports on tv", "boredom", "alone", "stress"],
    "nicotine": ["coffee", "after food", "stress", "break at work"],
}
FEELINGS = ["restless", "tired", "lonely", "irritated", "anxious", "bored", "sad", "tense"]
COPING = ["urge-surfing", "delay", "call", "play-the-tape", "walk", "water", "shower"]
PLACES = ["home", "work", "on the bus", "the shop", "a friend's place"]
PEOPLE = ["alone", "partner", "colleagues", "friends"]

ENTRIES = [
    (2, "First week of writing things down. Evenings are the hard part; mornings are "
        "better than I remember them.", 2, ["start"]),
    (9, "Told my sister I am cutting out drinking. She did not make a big thing of it, "
        "which helped more than I expected.", 3, ["family"]),
    (17, "Payday. Deleted the betting app again and put the money straight into savings "
         "before I could think about it.", 3, ["money"]),
    (26, "Slept through the night for the first time in weeks.", 4, ["sleep"]),
    (41, "Had three beers after work on Friday. I noticed it was the 'I deserve it' "
         "thought again. Left early and called Anna on the way home. Information, not a "
         "verdict.", 2, ["lapse", "learning"]),
    (48, "Talked about the Friday at the group. Others recognised the 'I deserve it' "
         "thought. Plan: a different way home on Fridays.", 3, ["group"]),
    (60, "Walked to work three days this week. The urges after work are shorter now.",
     4, ["health"]),
    (74, "Cooked for friends. Nobody asked why I drank water.", 4, ["friends"]),
    (86, "Looking back at the charts: fewer urges, and they pass faster.", 4, ["progress"]),
]


def populate(journal: Journal, *, days: int = 90, seed: int = 2024,
             today: date | None = None, tz: tzinfo = DEMO_ZONE) -> None:
    """Fill `journal` with `days` days of sample data ending `today` (deterministic)."""
    rnd = random.Random(seed)
    today = today or records.now().astimezone(tz).date()
    first = today - timedelta(days=days - 1)
    lapse_day = first + timedelta(days=min(40, days - 1))

    def at(day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=tz)

    # Later today has not happened yet: such records are left out, not refused.
    cutoff = records.now()

    def add(record: Record) -> None:
        if record.when <= cutoff:
            journal.add(record)

    settings = journal.settings()
    settings.addictions = [
        Addiction(name="alcohol", unit="drinks", cost_per_use=150.0, tracked_since=first),
        Addiction(name="gambling", unit="kronor", cost_per_use=200.0, tracked_since=first),
        Addiction(name="nicotine", goal="limit-per-day", limit=5, unit="cigarettes",
                  cost_per_use=8.0, tracked_since=first),
    ]
    settings.onboarded = True
    journal.save_settings(settings)

    for offset in range(days):
        day = first + timedelta(days=offset)
        progress = offset / max(days - 1, 1)  # 0 at the start, 1 today
        weekend = day.weekday() >= 4
        for addiction, base in (("alcohol", 1.6), ("gambling", 0.7), ("nicotine", 1.2)):
            expected = base * (1.3 - 0.9 * progress) * (1.3 if weekend else 1.0)
            count = int(expected) + (1 if rnd.random() < expected - int(expected) else 0)
            for _n in range(count):
                add(_urge(rnd, addiction, day, progress, at, lapse_day))
        if addiction_use := _nicotine_use(rnd, day, progress, at):
            add(addiction_use)
        if rnd.random() < 0.7:
            add(Mood(mood=min(5, max(1, round(2 + 2 * progress + rnd.uniform(-1, 1)))),
                             when=at(day, 21, rnd.randint(0, 59))))
        if day.weekday() == 1:  # the Tuesday group
            add(Meeting(group="Tisdagsgruppen", when=at(day, 18, 30),
                                note=rnd.choice(["", "Talked about evenings.", "Good to listen.",
                                                 "Shared about the week."])))
        if day.weekday() == 3 and progress > 0.5 and rnd.random() < 0.6:
            add(Meeting(group="Online meeting", when=at(day, 19, 0)))
        if day.weekday() == 6:  # Sunday check-in
            level = 1.8 + 2.0 * progress
            items = [min(5, max(0, round(level + rnd.uniform(-1.0, 1.0)))) for _i in range(5)]
            add(Checkin(items=items, when=at(day, 20, 0)))

    add(Use(addiction="alcohol", amount=3, unit="drinks", money=210.0, minutes=120,
                    note="Friday after work. Left early and called Anna.",
                    when=at(lapse_day, 18, 40)))

    for offset, text, mood, tags in ENTRIES:
        if offset < days:
            add(Entry(text=text, mood=mood, tags=tags,
                              when=at(first + timedelta(days=offset), 21, 30)))

    _exercises(add, rnd, first, days, at)


def _urge(rnd: random.Random, addiction: str, day: date, progress: float, at,
          lapse_day: date) -> Urge:
    evening = rnd.random() < 0.65
    hour = rnd.randint(16, 22) if evening else rnd.randint(8, 15)
    intensity = min(10, max(1, round(7.5 - 3.5 * progress + rnd.uniform(-2, 2))))
    coping = rnd.sample(COPING, k=rnd.choice([1, 1, 2]))
    rerated = rnd.random() < 0.6
    acted = day == lapse_day and addiction == "alcohol" and hour >= 16
    acted = acted or (addiction == "nicotine" and rnd.random() < 0.35 - 0.25 * progress)
    return Urge(
        addiction=addiction, intensity=intensity,
        intensity_after=max(0, intensity - rnd.randint(2, 6)) if rerated and not acted else None,
        minutes=rnd.choice([5, 10, 15, 20, 30, 45]),
        trigger=rnd.choice(TRIGGERS[addiction]),
        place=rnd.choice(PLACES), people=rnd.choice(PEOPLE),
        feelings=rnd.sample(FEELINGS, k=2), coping=coping,
        outcome="acted" if acted else "resisted",
        when=at(day, hour, rnd.randint(0, 59)),
    )


def _nicotine_use(rnd: random.Random, day: date, progress: float, at) -> Use | None:
    if rnd.random() > 0.8 - 0.5 * progress:
        return None
    return Use(addiction="nicotine", amount=rnd.randint(1, 6), unit="cigarettes",
               money=None, note="", when=at(day, 20, 15))


def _exercises(add, rnd: random.Random, first: date, days: int, at) -> None:
    def day(offset: int) -> date:
        return first + timedelta(days=min(offset, days - 1))

    add(ExerciseResponse(
        exercise_id="safety-plan", exercise_version=1, finished=True, when=at(day(1), 20),
        answers={
            "warning_signs": ["Skipping dinner", "Saying 'I deserve it'", "Staying late at work"],
            "on_my_own": ["Walk round the lake", "Shower", "Urge surfing"],
            "people_places": ["The library", "Anna's kitchen"],
            "who_to_call": ["Anna (sister) 070-123 45 67", "Group contact Per 073-765 43 21"],
            "safer_surroundings": ["No beer at home", "Betting app deleted"],
            "reason_to_keep_going": "Mornings with a clear head, and the trip in June.",
        }))
    add(ExerciseResponse(
        exercise_id="cost-benefit", exercise_version=1, finished=True, when=at(day(5), 19),
        answers={
            "short_term": {
                "using": {"benefits": "I relax fast; the evening feels shorter.",
                          "costs": "Foggy mornings, money gone, arguments."},
                "not_using": {"benefits": "I sleep, I remember the evening.",
                              "costs": "Restless evenings for a while."},
            },
            "long_term": {
                "using": {"benefits": "Nothing I want to keep.",
                          "costs": "Health, money, trust at home."},
                "not_using": {"benefits": "Energy, savings, my sister trusts me again.",
                              "costs": "Finding new ways to unwind."},
            },
            "stands_out": "The long-term costs of using are all things I care about.",
            "importance": 9,
        }))
    for number, offset in enumerate((8, 23, 44, 70)):
        start = max(3, 9 - number)
        peak = start + rnd.randint(0, 2)
        strengths = [start, min(10, peak), max(0, peak - 1)] + [
            max(0, peak - 2 - minute) for minute in range(rnd.randint(3, 6))]
        add(ExerciseResponse(
            exercise_id="urge-surfing", exercise_version=1, finished=True,
            when=at(day(offset), 19, 10),
            answers={
                "notice": rnd.choice(["Tight chest and restless hands.", "A dry mouth, jittery.",
                                      "Heat in my face, tense shoulders."]),
                "wave": [{"minute": minute, "strength": value}
                         for minute, value in enumerate(strengths)],
                "learned": rnd.choice(["It peaked fast and then eased.",
                                       "Shorter than I feared.", "Breathing helped at the top."]),
            }))
    for offset, ratings in ((12, (3, 2, 5, 3, 4, 2, 2, 3)), (75, (6, 6, 7, 5, 6, 5, 5, 6))):
        areas = ("health", "sleep", "family", "friends", "work", "money", "leisure", "meaning")
        answers: dict = dict(zip(areas, ratings))
        answers["reflect"] = "Friends and money pull the rest down." if offset < 30 else \
            "Sleep and family are better; leisure next."
        answers["first_step"] = "Call Erik about Sunday football." if offset < 30 else \
            "Sign up for the Thursday swim."
        add(ExerciseResponse(exercise_id="lifestyle-balance", exercise_version=1,
                                     finished=True, when=at(day(offset), 20), answers=answers))
