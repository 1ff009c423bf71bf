"""Sub-commands for tracking: urge, lapse, meeting, goal, checkin, stats.

Everything that can be checked without the journal (the addiction's name, the
intensity, the date, amounts) is checked before the passphrase is asked, and a
mistake writes nothing and exits with status 2. Logging an addiction that is not
tracked yet starts tracking it and says so; a name that is neither built in nor
tracked needs `--new`, so a typo does not quietly become a new addiction.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date, datetime, time
from pathlib import Path

from .. import health_notes, records
from ..i18n import _, ngettext
from ..i18n.formats import format_number
from ..journal import Journal
from ..records import BUILTIN_ADDICTIONS, Checkin, InvalidRecord, Meeting, Urge, Use
from ..safetext import one_line
from ..vault.errors import JournalError
from .questions import Answers
from .days import too_early
from .unlock import say_problem, unlock

ORDER = 20  # after the journal commands, before export


class UsageError(JournalError):
    exit_code = 2


def register(subparsers: argparse._SubParsersAction) -> None:
    urge = subparsers.add_parser(
        "urge", help=_("log an urge: how strong it was, what set it off, how it went"))
    urge.add_argument("addiction", help=_("e.g. alcohol, gambling, or one you track"))
    urge.add_argument("intensity", help=_("how strong, 0 (none) to 10 (the strongest)"))
    urge.add_argument("--trigger", default="", help=_("what set it off, e.g. stress, people, place"))
    urge.add_argument("--place", default="", help=_("where you were"))
    urge.add_argument("--people", default="", help=_("who was there"))
    urge.add_argument("--feeling", action="append", default=[], metavar="FEELING",
                      help=_("what you felt (repeat for several)"))
    urge.add_argument("--thought", default="", help=_("what the urge said, e.g. \"just one\""))
    urge.add_argument("--note", default="", help=_("a few words about it"))
    urge.add_argument("--after", metavar="0-10", help=_("how strong it was after coping"))
    urge.add_argument("--coping", action="append", default=[], metavar="TOOL",
                      help=_("what you did, e.g. delay, call, urge-surfing (repeat for several)"))
    outcome = urge.add_mutually_exclusive_group()
    outcome.add_argument("--resisted", dest="outcome", action="store_const", const="resisted",
                         help=_("you got through it without using (the default)"))
    outcome.add_argument("--acted", dest="outcome", action="store_const", const="acted",
                         help=_("you used"))
    _date_option(urge)
    _new_option(urge)
    urge.set_defaults(handler=cmd_urge, outcome="resisted")

    lapse = subparsers.add_parser(
        "lapse", help=_("log a use or lapse, as information (nothing is reset)"))
    lapse.add_argument("addiction")
    lapse.add_argument("--amount", help=_("how much, in the addiction's own unit"))
    lapse.add_argument("--unit", default="", help=_("e.g. drinks, grams, kronor, hours"))
    lapse.add_argument("--money", help=_("money spent"))
    lapse.add_argument("--minutes", help=_("time spent, in minutes"))
    lapse.add_argument("--note", default="", help=_("what happened, what you noticed"))
    _date_option(lapse)
    _new_option(lapse)
    lapse.set_defaults(handler=cmd_lapse)

    meeting = subparsers.add_parser("meeting", help=_("log a support-group meeting you attended"))
    meeting.add_argument("group", help=_("the group's name"))
    meeting.add_argument("--note", default="", help=_("what you took with you (optional)"))
    _date_option(meeting)
    meeting.set_defaults(handler=cmd_meeting)

    goal = subparsers.add_parser(
        "goal", help=_("set your goal for an addiction: not at all, or a limit per day or week"))
    goal.add_argument("addiction")
    goal.add_argument("kind", choices=("abstinence", "limit"),
                      help=_("abstinence (not at all) or limit"))
    goal.add_argument("limit", nargs="?", help=_("for a limit: how much at most"))
    goal.add_argument("--per", choices=("day", "week"), default="day",
                      help=_("the limit is per day (the default) or per week"))
    goal.add_argument("--unit", help=_("e.g. drinks, hours, cigarettes"))
    goal.add_argument("--cost", help=_("what one use costs, for \"money not spent\""))
    _new_option(goal)
    goal.set_defaults(handler=cmd_goal)

    checkin = subparsers.add_parser(
        "checkin", help=_("the WHO-5 well-being check-in: five questions about the last two weeks"),
        epilog=_("When standard input is not a terminal, give the passphrase on the first "
                 "line and the five answers (0-5) on the next five lines."))
    checkin.set_defaults(handler=cmd_checkin)

    stats = subparsers.add_parser("stats", help=_("a summary of the last weeks and a chart"))
    stats.add_argument("--weeks", type=str, default="12", help=_("how many weeks (default 12)"))
    stats.add_argument("--addiction", help=_("only this addiction"))
    stats.set_defaults(handler=cmd_stats)


def _date_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--date", metavar="YYYY-MM-DD", help=_("the day it happened (default: now)"))


def _new_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--new", action="store_true",
                        help=_("start tracking an addiction that is not built in"))


# ---- checks done before the passphrase ----------------------------------------------


def _addiction(name: str) -> str:
    """The normalised name; an empty or too long name is a usage error."""
    normalised = records.normalise_addiction(name)
    try:
        records.Addiction(name=normalised).validate()
    except InvalidRecord as exc:
        raise UsageError(f"{exc} " + _("Nothing was written.")) from exc
    return normalised


def _whole(text: str | None, what: str, low: int, high: int, *, writing: bool = True) -> int | None:
    """`text` as a whole number in low..high; `writing=False` for a command that
    only reads (stats), whose complaint must not say "Nothing was written"."""
    if text is None:
        return None
    try:
        value = int(text.strip())
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        if not writing:
            raise UsageError(_("The {what} must be a whole number from {low} to {high}, "
                               "not {text!r}.").format(what=what, low=low, high=high, text=text))
        raise UsageError(_("The {what} must be a whole number from {low} to {high}, not {text!r}. "
                           "Nothing was written.").format(what=what, low=low, high=high, text=text))
    return value


def _amount(text: str | None, what: str) -> float | None:
    if text is None:
        return None
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        value = -1.0
    if value < 0 or value != value or value == float("inf"):
        raise UsageError(_("The {what} must be a number of 0 or more, not {text!r}. "
                           "Nothing was written.").format(what=what, text=text))
    return value


def _when(text: str | None) -> datetime:
    if not text:
        return records.now()
    try:
        day = datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError as exc:
        raise UsageError(_("Please give the date as YYYY-MM-DD, not {text!r}. Nothing was written.")
                         .format(text=text)) from exc
    problem = too_early(day)
    if problem:
        raise UsageError(_("{reason} Nothing was written.").format(reason=problem))
    today = records.now().date()
    if day > today:
        raise UsageError(_("That date is in the future. Nothing was written."))
    return records.now() if day == today else datetime.combine(day, time(12, 0)).astimezone()


def _validated(record: records.Record) -> None:
    try:
        record.validate()
    except InvalidRecord as exc:
        raise UsageError(f"{exc} " + _("Nothing was written.")) from exc


def _track_if_new(journal: Journal, name: str, allow_new: bool) -> str | None:
    """Start tracking `name` if needed; returns what to tell the person, if anything."""
    if journal.settings().addiction(name) is not None:
        return None
    if name not in BUILTIN_ADDICTIONS and not allow_new:
        tracked = ", ".join(one_line(a, 40) for a in journal.tracked_addictions()) or _("none yet")
        raise UsageError(_(
            "{name!r} is not a built-in addiction and you do not track it yet (tracked: "
            "{tracked}). Check the spelling, or add --new to start tracking it. Nothing was "
            "written.").format(name=one_line(name, 60), tracked=tracked))
    journal.track(name)
    return _("Started tracking {name}.").format(name=one_line(name, 60))


# ---- commands --------------------------------------------------------------------------


def cmd_urge(args: argparse.Namespace, path: Path) -> int:
    name = _addiction(args.addiction)
    urge = Urge(
        addiction=name,
        intensity=_whole(args.intensity, _("intensity"), 0, 10),
        intensity_after=_whole(args.after, _("intensity after"), 0, 10),
        trigger=records.normalise_addiction(args.trigger),
        trigger_note=args.note.strip(),
        place=" ".join(args.place.split()),
        people=" ".join(args.people.split()),
        feelings=[" ".join(f.split()) for f in args.feeling if f.strip()],
        thought=" ".join(args.thought.split()),
        coping=[c.strip() for c in args.coping if c.strip()],
        outcome=args.outcome,
        when=_when(args.date),
    )
    _validated(urge)
    with unlock(path, Answers()) as journal:
        told = _track_if_new(journal, name, args.new)
        journal.add(urge)
    if told:
        print(told)
    if urge.outcome == "resisted":
        print(_("Saved: an urge of {n}/10 ({name}). You noticed it; that is the first step.")
              .format(n=urge.intensity, name=one_line(name, 60)))
    else:
        print(_("Saved: an urge of {n}/10 ({name}), and that you used. It is information, not "
                "a verdict.").format(n=urge.intensity, name=one_line(name, 60)))
    return 0


def cmd_lapse(args: argparse.Namespace, path: Path) -> int:
    name = _addiction(args.addiction)
    use = Use(
        addiction=name,
        amount=_amount(args.amount, _("amount")),
        unit=args.unit.strip(),
        money=_amount(args.money, _("money")),
        minutes=_whole(args.minutes, _("minutes"), 0, 7 * 24 * 60),
        note=args.note.strip(),
        when=_when(args.date),
    )
    _validated(use)
    note = None
    with unlock(path, Answers()) as journal:
        told = _track_if_new(journal, name, args.new)
        tracked = journal.settings().addiction(name)
        if not use.unit and tracked is not None:
            use.unit = tracked.unit
        journal.add(use)
        if health_notes.is_higher_risk(name):
            # Only for these addictions are the earlier uses decrypted: after a break
            # the old amount can be an overdose, which is worth the few milliseconds.
            journal.load(verify=False, check_later=False, kinds=["use", "settings"])
            day = use.when.astimezone().date()
            note = health_notes.health_note_after_use(
                name, day,
                (u.when.astimezone().date() for u in journal.records(Use)
                 if u.addiction == name and u.id != use.id),
                tracked_since=tracked.tracked_since if tracked is not None else None)
    if told:
        print(told)
    # No streak figures here: they need every use decrypted, and a quick add stays
    # quick however big the journal grows. `stats` shows them side by side.
    print(_("Saved. A lapse is information about what happened; your history stays."))
    if note:
        print(note)
    print(_("Days since last use, your longest streak and use-free days: recoveryjournal stats"))
    # The app offers the lapse review after a use; a use logged here gets the same offer.
    print(_("When you feel ready, the lapse review can help you see what led up to it: in "
            "the app under Exercises (e), or on paper: recoveryjournal worksheet lapse-review"))
    return 0


def cmd_meeting(args: argparse.Namespace, path: Path) -> int:
    group = " ".join(args.group.split())
    if not group:
        raise UsageError(_("Please name the group, for example: \"Tuesday group\". "
                           "Nothing was written."))
    meeting = Meeting(group=group, note=args.note.strip(), when=_when(args.date))
    _validated(meeting)
    with unlock(path, Answers()) as journal:
        journal.add(meeting)
    print(_("Saved: a meeting with {group}.").format(group=one_line(group, 60)))
    return 0


def cmd_goal(args: argparse.Namespace, path: Path) -> int:
    name = _addiction(args.addiction)
    limit = _amount(args.limit, _("limit"))
    cost = _amount(args.cost, _("cost per use"))
    if args.kind == "limit" and limit is None:
        raise UsageError(_("A limit goal needs the limit, e.g. `goal food limit 3 --per day`. "
                           "Nothing was written."))
    goal = "abstinence" if args.kind == "abstinence" else f"limit-per-{args.per}"
    with unlock(path, Answers()) as journal:
        told = _track_if_new(journal, name, args.new)
        settings = journal.settings()
        tracked = settings.addiction(name)
        assert tracked is not None
        tracked.goal = goal
        tracked.limit = limit if args.kind == "limit" else None
        if args.unit is not None:
            tracked.unit = " ".join(args.unit.split())
        if cost is not None:
            tracked.cost_per_use = cost
        try:
            journal.save_settings(settings)
        except InvalidRecord as exc:
            raise UsageError(f"{exc} " + _("Nothing was written.")) from exc
    if told:
        print(told)
    if args.kind == "abstinence":
        print(_("Saved: your goal for {name} is not at all.").format(name=one_line(name, 60)))
    else:
        per = _("a day") if args.per == "day" else _("a week")
        print(_("Saved: your goal for {name} is at most {limit} {unit} {per}.").format(
            name=one_line(name, 60), limit=format_number(limit),
            unit=one_line(tracked.unit, 30), per=per).replace("  ", " "))
    return 0


def cmd_checkin(args: argparse.Namespace, path: Path) -> int:
    from .. import who5

    answers = Answers()
    with unlock(path, answers) as journal:
        choices = "  ".join(f"{value} {label}" for value, label in who5.answers())
        if answers.interactive:
            print(who5.intro(), file=sys.stderr)
            print(choices, file=sys.stderr)
        items = []
        for number, statement in enumerate(who5.items(), start=1):
            items.append(_ask_item(answers, number, statement))
        checkin = journal.add(Checkin(items=items, when=records.now()))
    score = who5.score(checkin.items)
    print(_("Saved. Raw score {raw} of 25, {percent}%.").format(raw=score.raw, percent=score.percent))
    if score.low:
        print(_("That is below 50%, which can mean a hard stretch. It may help to talk it over "
                "with someone you trust, your group or your doctor."))
    return 0


def _ask_item(answers: Answers, number: int, statement: str) -> int:
    """One WHO-5 answer: asked again on a terminal, an error when piped."""
    prompt = f"{number}/5 {statement} (0-5): "
    while True:
        reply = answers.line(prompt, _("answer {n} of the check-in (0-5)").format(n=number))
        try:
            value = int(reply.strip())
        except ValueError:
            value = -1
        if 0 <= value <= 5:
            return value
        message = _("Please answer with a number from 0 (at no time) to 5 (all of the time), "
                    "not {reply!r}.").format(reply=reply)
        if not answers.interactive:
            raise UsageError(message + " " + _("Nothing was written."))
        print(message, file=sys.stderr)


STATS_KINDS = ("use", "urge", "checkin", "meeting")  # what stats_text reads besides settings


def cmd_stats(args: argparse.Namespace, path: Path) -> int:
    weeks = _whole(args.weeks, _("number of weeks"), 1, 520, writing=False)
    wanted = _addiction(args.addiction) if args.addiction else None
    width = min(_terminal_columns(), 100)
    colour = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    today = records.now().date()
    # Not preloaded: the sealed summary (kept with every write) usually answers, and
    # then only it and the settings are read, whatever the journal's size.
    with unlock(path, Answers()) as journal:
        glance = journal.summary_if_trusted()
        text, read_all = None, False
        if glance is None and journal.summary() is None and not journal.read_only:
            # Missing (a journal from before it) or stale (written by an older
            # version): read everything once, as the app does, and build it again,
            # so the next `stats` reads only the summary. One that does not open or
            # says other than the records is reported, not rebuilt (check_summary).
            journal.load()
            journal.check_summary()
            for problem in journal.problems_found:
                say_problem(problem)
            glance, read_all = journal.summary_if_trusted(), True
        if glance is not None:
            text = stats_text_from_summary(journal, glance, today, weeks, wanted,
                                           width=width, colour=colour)
        if text is None:
            # Only the kinds it counts are decrypted (found by kind hint): not the
            # entries and exercise answers, the larger part of a journal's bytes. Each
            # record read is checked by its own tag; deleted or added rows by the
            # quick check at unlock; the whole-set check is the app's.
            if not read_all:
                journal.load(verify=False, check_later=False, kinds=STATS_KINDS)
                for problem in journal.problems_found:
                    say_problem(problem)
            text = stats_text(journal, today, weeks, wanted, width=width, colour=colour)
    print(text)
    return 0


def _terminal_columns() -> int:
    import shutil  # here: every command imports this module to build the parser

    return shutil.get_terminal_size((80, 24)).columns


class _StatsFigures:
    """What `stats` prints, from the records or from the summary (the same figures)."""

    def __init__(self, **values):
        self.__dict__.update(values)


def _window(today: date, weeks: int) -> tuple[date, datetime]:
    from .. import insights

    first_day = insights.weeks_back(today, weeks)[0]
    return first_day, datetime.combine(first_day, time(0)).astimezone()


def _streak_lines(settings: records.Settings, names: list[str], uses_of, today: date) -> list[str]:
    """The streak and "not spent" lines; `uses_of(name)` gives uses that include
    every use of that addiction (the records, or the summary's days of use)."""
    from .. import insights

    lines = []
    for name in names:
        uses = uses_of(name)
        tracked = settings.addiction(name)
        streak = insights.streaks(uses, name, today, since=tracked.tracked_since if tracked else None)
        lines.append(one_line(insights.streak_summary(streak), 200))
        if tracked is not None and tracked.cost_per_use:
            saved = insights.not_spent(tracked, uses, today)
            lines.append("  " + _("not spent since tracking began: about {money} "
                                  "(one use per use-free day)").format(
                                      money=format_number(saved.money, 0)))
    return lines


def stats_text(journal: Journal, today: date, weeks: int, addiction: str | None = None, *,
               width: int = 80, colour: bool = False) -> str:
    """The summary `stats` prints: streaks, urges, well-being, meetings, money, a chart,
    counted from the records."""
    from .. import insights

    settings = journal.settings()
    uses = journal.records(Use)
    first_day, start = _window(today, weeks)
    urges = [u for u in insights.since(journal.records(Urge), start)
             if addiction is None or records.normalise_addiction(u.addiction) == addiction]
    names = [addiction] if addiction else [a.name for a in settings.addictions]
    checkins = insights.who5_over_time(journal.records(Checkin), since=first_day)
    figures = _StatsFigures(
        first_day=first_day, weeks=weeks,
        streaks=_streak_lines(settings, names, lambda _name: uses, today),
        urges=len(urges), share=insights.share_resisted(urges),
        triggers=insights.top_triggers(urges, 3) if urges else [],
        helped=[r.tool for r in insights.coping_that_worked(urges, 3)] if urges else [],
        checkin=checkins[-1] if checkins else None,
        meetings=len(insights.since(journal.records(Meeting), start)),
        weekly=insights.urges_per_week(urges, today, weeks=weeks, addiction=addiction))
    return _stats_render(figures, width, colour)


def stats_text_from_summary(journal: Journal, summary, today: date, weeks: int,
                            addiction: str | None = None, *, width: int = 80,
                            colour: bool = False) -> str | None:
    """`stats_text` from the sealed summary (summary.py) and the settings alone, or
    None when the summary cannot give exactly the same figures (e.g. an urge logged
    in another time zone falls on the window's edge): the records are read then."""
    from .. import insights

    settings = journal.settings()
    first_day, start = _window(today, weeks)
    window = summary.urge_window(start, today, weeks, addiction)
    checkin = summary.latest_checkin_since(first_day)
    meetings = summary.meetings_since(start)
    if window is None or window.triggers is None or checkin is False or meetings is None:
        return None
    names = [addiction] if addiction else [a.name for a in settings.addictions]
    series = sorted(window.per_week.items(), key=lambda kv: (-sum(kv[1]), kv[0]))
    weekly = insights.Weekly([date.fromordinal(week) for week in window.axis], dict(series))
    figures = _StatsFigures(
        first_day=first_day, weeks=weeks,
        # Each addiction's days of use alone: ten years of four addictions is 15,000.
        streaks=_streak_lines(settings, names, lambda name: summary.uses_by_day(
            records.normalise_addiction(name)), today),
        urges=window.urges,
        share=(window.urges - window.acted) / window.urges if window.urges else None,
        triggers=insights.top_of_trigger_counts(window.triggers, 3),
        helped=insights.coping_order(window.coping, 3),
        checkin=checkin, meetings=meetings, weekly=weekly)
    return _stats_render(figures, width, colour)


def _stats_render(figures: _StatsFigures, width: int, colour: bool) -> str:
    from .. import charts
    from ..i18n.labels import coping_label, trigger_label

    lines = [_("The last {weeks} weeks (since {day})").format(
        weeks=figures.weeks, day=figures.first_day.isoformat()), ""]
    lines += figures.streaks
    lines.append("")
    if figures.urges:
        lines.append(ngettext("{n} urge; {share}% got through without use.",
                              "{n} urges; {share}% got through without use.",
                              figures.urges).format(
                                  n=figures.urges,
                                  share=format_number(100 * (figures.share or 0), 0)))
        if figures.triggers:
            lines.append(_("Most common triggers: {list}").format(
                list=", ".join(f"{one_line(trigger_label(t), 30)} ({n})"
                               for t, n in figures.triggers)))
        if figures.helped:
            lines.append(_("Coping that helped most: {list}").format(
                list=", ".join(one_line(coping_label(tool), 30) for tool in figures.helped)))
    else:
        lines.append(_("No urges logged in these weeks."))
    if figures.checkin:
        day, percent = figures.checkin
        lines.append(_("Latest well-being check-in: {percent}% on {day}.").format(
            percent=percent, day=day.isoformat()))
    lines.append(_("Meetings attended: {n}.").format(n=figures.meetings))
    lines.append("")
    colours = charts.ChartColours(colour=colour)
    lines.append(charts.urges_per_week(figures.weekly, max(width - 2, 40), 14, colours))
    return "\n".join(lines)
