"""Build the benchmark journal of docs/ARCHITECTURE.md, reproducibly, through the public Journal API.

    .venv/bin/python bench/make_journal.py                # 1x, cached in bench/data/
    .venv/bin/python bench/make_journal.py --scale 10     # 10x
    .venv/bin/python bench/make_journal.py --jrnl         # also the same entries in jrnl

The 1x journal holds ten years of a heavy user: 20,000 entries of ~500 characters,
50,000 urges, 3,000 uses, 500 WHO-5 check-ins, 1,000 meetings and 2,000 exercise
responses, tracking alcohol, cannabis, gambling and nicotine. Its passphrase is
wrapped with the real Argon2id parameters, so it opens exactly like a person's file.

The contents (record ids, texts, times, numbers) follow from the seed and the end
date alone; the ciphertext differs on every build because every seal takes a fresh
random nonce. A stamp file beside each journal says how it was made, so the cache
is rebuilt when the recipe changes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Iterator

BENCH = Path(__file__).resolve().parent
DATA = BENCH / "data"
JRNL_VENV = BENCH / ".jrnl-venv"

PASSPHRASE = "correct horse battery staple"
ADDICTIONS = ("alcohol", "cannabis", "gambling", "nicotine")
SEED = 20260601
YEARS = 10
RECIPE = 3  # bump when what the generator writes changes, so caches are rebuilt
JRNL_RECIPE = 2  # the same for the jrnl copy (its entries only)

# docs/ARCHITECTURE.md, "Performance budget": the benchmark journal at scale 1.
BASE_COUNTS = {
    "entry": 20_000,
    "urge": 50_000,
    "use": 3_000,
    "checkin": 500,
    "meeting": 1_000,
    "exercise": 2_000,
}

# The word the benchmark searches for: one entry in fifty mentions it (a place or a
# name a person looks up), so a search prints ~400 entries at 1x, not half the journal.
SEARCH_WORD = "lighthouse"
_SEARCHED_SENTENCE = "Walked out to the lighthouse with Maria from the group."
_SEARCHED_SHARE = 0.02

_SENTENCES = (
    "Woke up early and made coffee before anyone else was up.",
    "Called my sponsor after work and we talked for half an hour.",
    "The walk home past the bar was harder than I expected.",
    "I noticed the urge building around five o'clock, as it often does.",
    "Went to the Tuesday meeting and shared for the first time in weeks.",
    "Spent the evening cooking a proper dinner instead of ordering in.",
    "Felt restless and irritable most of the afternoon.",
    "My sister asked how I was doing and I told her the truth.",
    "I wrote down three things I am grateful for before bed.",
    "Payday always makes the betting apps feel closer.",
    "Used the urge surfing exercise and the wave passed after twenty minutes.",
    "Slept badly again, which makes everything feel heavier.",
    "Took the long way round to avoid the shop on the corner.",
    "A colleague offered me a cigarette and I said no without thinking twice.",
    "My sponsor reminded me that a hard day is not a failed day.",
    "Cleaned the flat and felt better for having done something.",
    "The weekend without plans was the riskiest part of the week.",
    "I listed the costs and benefits again and the list still holds.",
    "Ran five kilometres by the lake; my head was clearer afterwards.",
    "Old friends called to go out and I suggested a film instead.",
    "Money is a little easier this month since I stopped gambling.",
    "Talked through the week with my counsellor and set one small goal.",
    "I could feel the craving in my chest and named it out loud.",
    "Read for an hour instead of scrolling on my phone.",
    "Bought groceries with the money I used to spend on weed.",
    "Texted my sponsor from the train when the thoughts got loud.",
    "It rained all day and I stayed in with tea and music.",
    "Noticed I was hungry, angry, lonely and tired all at once.",
    "Helped set out the chairs before the group started.",
    "Wrote a letter to my future self about why this matters.",
)
_TITLES = (
    "A quiet day.", "Hard evening.", "Small win today.", "Group night.",
    "Thinking about money.", "Tired but steady.", "Craving after work.",
    "Good talk with family.", "Back on track.", "A long week.",
)
_TAGS = ("work", "family", "money", "sleep", "group", "health", "friends", "weekend")
_TRIGGERS = ("stress", "people", "place", "boredom", "celebration", "money", "tiredness")
_FEELINGS = ("anxious", "bored", "lonely", "angry", "sad", "restless", "happy", "tired")
_COPING = ("called someone", "went for a walk", "urge surfing", "ate something",
           "left the place", "breathing", "played a game", "wrote it down")
_PLACES = ("home", "work", "pub", "friend's flat", "train", "supermarket", "online")
_PEOPLE = ("alone", "colleagues", "partner", "old friends", "family", "strangers")
_GROUPS = ("Tuesday SMART group", "Thursday evening group", "Online group", "Weekend group")
_EXERCISES = ("cost-benefit", "abc", "urge-surfing", "values", "change-plan",
              "hierarchy-of-values", "destroy-urges", "vacation-plan")
_USE_UNITS = {"alcohol": "drinks", "cannabis": "grams", "gambling": "kronor", "nicotine": "cigarettes"}


def counts_for(scale: int) -> dict[str, int]:
    """The benchmark journal's record counts at `scale` (1 = docs/ARCHITECTURE.md)."""
    return {kind: n * scale for kind, n in BASE_COUNTS.items()}


def counts_for_total(total: int) -> dict[str, int]:
    """The benchmark mix of kinds, scaled to `total` records (at least one entry)."""
    whole = sum(BASE_COUNTS.values())
    counts = {kind: n * total // whole for kind, n in BASE_COUNTS.items()}
    counts["entry"] += total - sum(counts.values())
    return counts


def default_end() -> date:
    """Today: a journal whose last record is old would make the dashboard look idle."""
    return date.today()


def _times(rng: random.Random, n: int, end: date) -> list[datetime]:
    """`n` local, aware moments spread over the `YEARS` before `end`, oldest first."""
    stop = datetime.combine(end, datetime.min.time())
    start = stop - timedelta(days=365 * YEARS)
    span = int((stop - start).total_seconds() // 60)
    minutes = sorted(rng.randrange(span) for _ in range(n))
    return [(start + timedelta(minutes=m)).astimezone() for m in minutes]


def _id(rng: random.Random) -> str:
    return f"{rng.getrandbits(128):032x}"


def entry_texts(seed: int, n: int, end: date) -> Iterator[tuple[str, datetime, str, int | None, list[str]]]:
    """(id, when, text, mood, tags) of each entry, oldest first; shared with the jrnl copy."""
    rng = random.Random(f"{seed}-entry")
    for when in _times(rng, n, end):
        parts = [rng.choice(_TITLES)]
        length = len(parts[0])
        target = rng.randint(420, 580)
        while length < target:
            sentence = rng.choice(_SENTENCES)
            parts.append(sentence)
            length += len(sentence) + 1
        if rng.random() < _SEARCHED_SHARE:
            parts.insert(rng.randint(1, len(parts)), _SEARCHED_SENTENCE)
        text = parts[0] + "\n" + " ".join(parts[1:])
        mood = rng.choice((None, 1, 2, 3, 3, 4, 4, 5))
        tags = rng.sample(_TAGS, rng.choice((0, 0, 1, 1, 2)))
        yield _id(rng), when, text, mood, tags


def generate(counts: dict[str, int], seed: int, end: date) -> Iterator:
    """Every record of the benchmark journal (records.py dataclasses), kind by kind."""
    from recoveryjournal.records import Checkin, Entry, ExerciseResponse, Meeting, Urge, Use

    for record_id, when, text, mood, tags in entry_texts(seed, counts["entry"], end):
        yield Entry(id=record_id, when=when, text=text, mood=mood, tags=tags)

    rng = random.Random(f"{seed}-urge")
    for when in _times(rng, counts["urge"], end):
        intensity = rng.randint(2, 10)
        yield Urge(
            id=_id(rng), when=when, addiction=rng.choice(ADDICTIONS), intensity=intensity,
            intensity_after=rng.choice((None, max(0, intensity - rng.randint(0, 6)))),
            minutes=rng.choice((None, rng.randint(2, 90))),
            trigger=rng.choice(_TRIGGERS),
            trigger_note=rng.choice(("", "", "after a call with my ex", "payday",
                                     "saw an advert", "long day at work")),
            place=rng.choice(_PLACES), people=rng.choice(_PEOPLE),
            feelings=rng.sample(_FEELINGS, rng.randint(0, 3)),
            coping=rng.sample(_COPING, rng.randint(0, 3)),
            outcome="acted" if rng.random() < 0.06 else "resisted",
        )

    rng = random.Random(f"{seed}-use")
    for when in _times(rng, counts["use"], end):
        addiction = rng.choice(ADDICTIONS)
        yield Use(
            id=_id(rng), when=when, addiction=addiction,
            amount=float(rng.randint(1, 8)), unit=_USE_UNITS[addiction],
            money=rng.choice((None, float(rng.randint(20, 900)))),
            minutes=rng.choice((None, rng.randint(10, 300))),
            note=rng.choice(("", "it was a hard week", "with old friends", "alone at home")),
        )

    rng = random.Random(f"{seed}-checkin")
    for when in _times(rng, counts["checkin"], end):
        yield Checkin(id=_id(rng), when=when, items=[rng.randint(0, 5) for _ in range(5)])

    rng = random.Random(f"{seed}-meeting")
    for when in _times(rng, counts["meeting"], end):
        yield Meeting(id=_id(rng), when=when, group=rng.choice(_GROUPS),
                      note=rng.choice(("", "shared about the weekend", "listened mostly")))

    rng = random.Random(f"{seed}-exercise")
    for when in _times(rng, counts["exercise"], end):
        yield ExerciseResponse(
            id=_id(rng), when=when, exercise_id=rng.choice(_EXERCISES), exercise_version=1,
            answers={"situation": rng.choice(_SENTENCES), "belief": rng.choice(_SENTENCES),
                     "plan": rng.choice(_SENTENCES), "rating": rng.randint(0, 10)},
            finished=rng.random() < 0.9,
        )


def build(path: Path, counts: dict[str, int], seed: int = SEED, end: date | None = None,
          passphrase: str = PASSPHRASE, durable: bool = False, progress: bool = False) -> float:
    """Create the journal at `path` (real KDF) and add every record; returns seconds taken."""
    from recoveryjournal.journal import Journal

    end = end or default_end()
    path = Path(path)
    for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        stale.unlink(missing_ok=True)
    started = time.perf_counter()
    journal, _code = Journal.create(path, passphrase, addictions=ADDICTIONS)
    # A ten-year user finished the first-run questions long ago: the app opens on the
    # dashboard, not on onboarding.
    settings = journal.settings()
    settings.onboarded = True
    journal.save_settings(settings)
    if not durable:
        # One fsync per record is right for a person's journal and pointless for a
        # file we can rebuild: it only changes when bytes reach the disk, not which.
        journal._live_vault().store.conn.execute("PRAGMA synchronous = OFF")
    total = sum(counts.values())
    # The sealed summary is built once at the end, from the records (as the app does
    # for a journal from before it): keeping it at every one of 765,000 writes would
    # make the build several times slower and end with the same summary
    # (tests/test_summary.py checks that the two agree).
    journal._live_vault().summarize = None
    try:
        for done, record in enumerate(generate(counts, seed, end), start=1):
            journal.add(record)
            if progress and done % 50_000 == 0:
                rate = done / (time.perf_counter() - started)
                print(f"  {done:,}/{total:,} records ({rate:,.0f}/s)", file=sys.stderr)
        journal.load()
        journal.rebuild_summary()
    finally:
        journal.lock()
    return time.perf_counter() - started


def has_summary(path: Path, passphrase: str = PASSPHRASE) -> bool:
    """True when the journal file holds a sealed summary of this version's layout
    (one written by a version with another summary layout is rebuilt, as the
    app's first full read does; timing `stats` on it would time the fallback)."""
    import sqlite3

    from recoveryjournal.journal import Journal

    db = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        if db.execute("SELECT 1 FROM vault WHERE key = 'summary'").fetchone() is None:
            return False
    finally:
        db.close()
    from recoveryjournal import summary as summaries

    with Journal.open(Path(path), passphrase) as journal:
        found = journal.summary()
        # An older layout this version still reads (stored again by the app's
        # check) would time the reading of that layout, not this version's.
        return found is not None and found.version == summaries.VERSION


def add_summary(path: Path, passphrase: str = PASSPHRASE) -> None:
    """Give a journal built before the sealed summary existed its summary, as the
    app's first unlock of such a journal does."""
    from recoveryjournal.journal import Journal

    with Journal.open(Path(path), passphrase) as journal:
        journal.load()
        journal.rebuild_summary()


def _stamp(counts: dict[str, int], seed: int, end: date, recipe: int = RECIPE) -> dict:
    return {"recipe": recipe, "seed": seed, "end": end.isoformat(), "counts": counts}


def _read_stamp(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def cached_journal(scale: int = 1, seed: int = SEED, end: date | None = None,
                   force: bool = False, progress: bool = True) -> Path:
    """The benchmark journal at `scale`, built once into bench/data/ and reused."""
    return cached_build(DATA / f"journal-x{scale}.db", counts_for(scale), seed, end,
                        force, progress)


def cached_build(path: Path, counts: dict[str, int], seed: int = SEED, end: date | None = None,
                 force: bool = False, progress: bool = True) -> Path:
    """A journal with `counts` at `path`, rebuilt only when its stamp does not match.

    A cached file is reused whatever day it was built (its end date is in its stamp)
    unless `end` is given and differs, or the recipe changed.
    """
    stamp_path = path.with_suffix(".json")
    old = _read_stamp(stamp_path)
    wanted_end = end or (date.fromisoformat(old["end"]) if old else default_end())
    stamp = _stamp(counts, seed, wanted_end)
    if not force and path.exists() and old is not None and \
            {k: old.get(k) for k in stamp} == stamp:
        if not has_summary(path):
            if progress:
                print(f"Adding the sealed summary to {path} ...", file=sys.stderr)
            add_summary(path)
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    if progress:
        print(f"Building a benchmark journal of {sum(counts.values()):,} records "
              f"at {path} ...", file=sys.stderr)
    stamp_path.unlink(missing_ok=True)
    seconds = build(path, counts, seed, wanted_end, progress=progress)
    stamp["build_seconds"] = round(seconds, 1)
    stamp["bytes"] = path.stat().st_size
    stamp_path.write_text(json.dumps(stamp, indent=1))
    if progress:
        print(f"  built in {seconds:.1f} s, {path.stat().st_size / 2**20:.0f} MiB",
              file=sys.stderr)
    return path


# ---- the same entries in jrnl -----------------------------------------------------

JRNL_TIME_FORMAT = "%Y-%m-%d %H:%M"


def jrnl_command() -> list[str] | None:
    """How to run jrnl, or None when bench/.jrnl-venv (or a jrnl on PATH) is missing."""
    local = JRNL_VENV / "bin" / "jrnl"
    if local.exists():
        return [str(local)]
    found = shutil.which("jrnl")
    return [found] if found else None


JRNL_REQUIREMENT = "jrnl==4.6"


def ensure_jrnl(log=print) -> list[str] | None:
    """jrnl's command, installing it into bench/.jrnl-venv first when it is missing
    (its own venv: jrnl pins versions of rich and others that the app's venv does
    not have). None when that fails, e.g. without PyPI."""
    command = jrnl_command()
    if command is not None:
        return command
    log(f"installing {JRNL_REQUIREMENT} into {JRNL_VENV} (once)")
    try:
        subprocess.run([sys.executable, "-m", "venv", str(JRNL_VENV)], check=True)
        subprocess.run([str(JRNL_VENV / "bin" / "pip"), "install", "--quiet", JRNL_REQUIREMENT],
                       check=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        log(f"could not install jrnl ({exc}); going on without it")
        return None
    return jrnl_command()


def jrnl_env(home: Path) -> dict[str, str]:
    """An environment where jrnl sees only `home`: the developer's config, keyring and
    terminal are never touched."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "JRNL"))}
    env.update({
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        # No keyring: jrnl must ask for the password, as it would on a fresh machine.
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "NO_COLOR": "1",
        "EDITOR": "",
        "VISUAL": "",
    })
    return env


def jrnl_run(home: Path, args: list[str], stdin: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run jrnl with `stdin` as its answers. A new session has no controlling terminal,
    so getpass falls back to reading the password from stdin."""
    command = jrnl_command()
    if command is None:
        raise RuntimeError("jrnl is not installed (see bench/README.md)")
    result = subprocess.run(command + args, input=stdin.encode(), capture_output=True,
                            env=jrnl_env(home), start_new_session=True, timeout=1800)
    if check and result.returncode != 0:
        raise RuntimeError(f"jrnl {' '.join(args)} failed ({result.returncode}): "
                           f"{result.stderr.decode(errors='replace')[-2000:]}")
    return result


def write_jrnl_config(home: Path, journal_file: Path, encrypt: bool) -> None:
    """jrnl's own default config (jrnl.config.get_default_config) pointing at our file."""
    folder = home / ".config" / "jrnl"
    folder.mkdir(parents=True, exist_ok=True)
    version = "v4.6"
    command = jrnl_command()
    if command:
        out = subprocess.run(command + ["--version"], capture_output=True, text=True,
                             env=jrnl_env(home), start_new_session=True)
        first = out.stdout.split()
        version = first[1] if len(first) > 1 else version
    lines = [
        f"version: {version}",
        "journals:",
        "  default:",
        f"    journal: {json.dumps(str(journal_file))}",
        f"    encrypt: {'true' if encrypt else 'false'}",
        "editor: ''",
        f"encrypt: {'true' if encrypt else 'false'}",
        "template: false",
        "default_hour: 9",
        "default_minute: 0",
        f"timeformat: '{JRNL_TIME_FORMAT}'",
        "tagsymbols: '#@'",
        "highlight: true",
        "linewrap: 79",
        "indent_character: '|'",
        "colors:",
        "  body: none",
        "  date: none",
        "  tags: none",
        "  title: none",
    ]
    (folder / "jrnl.yaml").write_text("\n".join(lines) + "\n")


def jrnl_journal(scale: int = 1, seed: int = SEED, end: date | None = None,
                 passphrase: str = PASSPHRASE, force: bool = False,
                 progress: bool = True, tags: bool = True) -> Path:
    """The same entries as the benchmark journal, as an encrypted jrnl journal.

    Written as jrnl's plain-text format, then encrypted by jrnl itself (`--encrypt`,
    the password read from stdin). Returns jrnl's home folder (config inside).
    `tags=False` leaves the @tags out: jrnl's add spends most of its time counting
    tags, so a tagged journal alone would flatter the comparison.
    """
    counts = counts_for(scale)
    home = DATA / (f"jrnl-x{scale}" if tags else f"jrnl-x{scale}-notags")
    journal_file = home / "journal.txt"
    stamp_path = home / "stamp.json"
    old = _read_stamp(stamp_path)
    wanted_end = end or (date.fromisoformat(old["end"]) if old else None)
    if wanted_end is None:
        # Match the recoveryjournal cache, so both hold the very same entries.
        ours = _read_stamp((DATA / f"journal-x{scale}.json"))
        wanted_end = date.fromisoformat(ours["end"]) if ours else default_end()
    stamp = _stamp({"entry": counts["entry"]}, seed, wanted_end, JRNL_RECIPE)
    if not force and journal_file.exists() and old is not None and \
            {k: old.get(k) for k in stamp} == stamp:
        return home
    if jrnl_command() is None:
        raise RuntimeError("jrnl is not installed (see bench/README.md)")
    if home.exists():
        shutil.rmtree(home)
    home.mkdir(parents=True)
    if progress:
        print(f"Writing {counts['entry']:,} entries as a jrnl journal in {home} ...",
              file=sys.stderr)
    started = time.perf_counter()
    with open(journal_file, "w", encoding="utf-8") as out:
        for _id_, when, text, _mood, entry_tags in entry_texts(seed, counts["entry"],
                                                               end=wanted_end):
            suffix = (" " + " ".join(f"@{t}" for t in entry_tags)) if tags and entry_tags else ""
            out.write(f"[{when.strftime(JRNL_TIME_FORMAT)}] {text}{suffix}\n\n")
    write_jrnl_config(home, journal_file, encrypt=False)
    # --encrypt asks the new password twice, then whether to keep it in a keyring.
    jrnl_run(home, ["--encrypt"], f"{passphrase}\n{passphrase}\nn\n")
    if not journal_file.read_bytes().startswith(b"JRNL") and \
            not journal_file.read_bytes().startswith(b"gAAAAA"):
        raise RuntimeError("jrnl --encrypt left the journal unencrypted")
    write_jrnl_config(home, journal_file, encrypt=True)
    stamp["build_seconds"] = round(time.perf_counter() - started, 1)
    stamp_path.write_text(json.dumps(stamp, indent=1))
    if progress:
        print(f"  encrypted by jrnl in {stamp['build_seconds']} s", file=sys.stderr)
    return home


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1, help="1 = docs/ARCHITECTURE.md's journal; 10 = ten times")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--end", type=date.fromisoformat, metavar="YYYY-MM-DD",
                        help="the last day covered (default: the cached one, or today)")
    parser.add_argument("--out", type=Path, help="build here instead of the bench/data/ cache")
    parser.add_argument("--jrnl", action="store_true", help="also write the entries as a jrnl journal")
    parser.add_argument("--force", action="store_true", help="rebuild even when cached")
    args = parser.parse_args(argv)
    if args.out:
        seconds = build(args.out, counts_for(args.scale), args.seed, args.end, progress=True)
        print(f"{args.out}: built in {seconds:.1f} s")
    else:
        path = cached_journal(args.scale, args.seed, args.end, force=args.force)
        print(path)
    if args.jrnl:
        print(jrnl_journal(args.scale, args.seed, args.end, force=args.force) / "journal.txt")
    return 0


if __name__ == "__main__":
    sys.exit(main())
