"""Leaks: after a real session, no secret is on disk except in the export asked for.

A session through the real CLI (init, write, write from stdin, list, search,
export, backup, passwd) and in-process (edit, delete, drafts, backup, lock)
with HOME, the XDG folders and TMPDIR all inside one test folder. Then every
byte of every file there is searched for each canary as UTF-8, UTF-16-LE,
UTF-16-BE and base64 (all three alignments). The export the person asked for
must hold them (so the search is shown to work); nothing else may.
"""

from __future__ import annotations

import base64
import tempfile
from pathlib import Path

from recoveryjournal.journal import Journal
from recoveryjournal.records import Entry, Urge

from helpers.processes import cli_env, run_cli

# Each canary is distinct so a hit names what leaked.
CANARIES = {
    "passphrase": "okapi-passphrase-canary-4d1",
    "new passphrase": "heron-newpass-canary-8c2",
    "entry": "lynx-entry-canary-2b7",
    "stdin entry": "marten-stdin-canary-6e0",
    "tag": "vole-tag-canary-3f9",
    "addiction": "ibex-addiction-canary",
    "search": "stoat-search-canary-1a5",
    "edited": "tapir-edited-canary-9d3",
    "deleted": "quokka-deleted-canary-0c8",
    "draft": "gecko-draft-canary-7e4",
    "urge": "newt-urge-canary-5b6",
}


def encodings(text: str) -> dict[str, bytes]:
    """The byte patterns a canary could leave behind."""
    raw = text.encode("utf-8")
    found = {
        "utf-8": raw,
        "utf-16-le": text.encode("utf-16-le"),
        "utf-16-be": text.encode("utf-16-be"),
    }
    # base64 of the canary at each of the three alignments inside a longer string;
    # the edge characters depend on neighbours, so only the stable middle is sought.
    for shift in range(3):
        encoded = base64.b64encode(b"\0" * shift + raw)
        start = (shift * 4 + 2) // 3 + 1
        found[f"base64+{shift}"] = encoded[start : len(encoded) - 4]
    return found


def search_tree(root: Path, needles: dict[str, str], skip: set[Path]) -> tuple[list[str], int, int]:
    """(hits, files searched, bytes searched) for every needle in every file under root."""
    hits, files, size = [], 0, 0
    patterns = {(name, kind): pattern for name, text in needles.items()
                for kind, pattern in encodings(text).items()}
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path in skip:
            continue
        blob = path.read_bytes()
        files, size = files + 1, size + len(blob)
        for (name, kind), pattern in patterns.items():
            if pattern in blob:
                hits.append(f"{name} ({kind}) in {path.relative_to(root)}")
    return hits, files, size


def test_no_canary_outside_the_export_after_a_full_session(tmp_path, monkeypatch):
    home = tmp_path / "home"
    env = cli_env(home)
    journal_path = home / ".local" / "share" / "recoveryjournal" / "journal.db"
    passphrase, new_passphrase = CANARIES["passphrase"], CANARIES["new passphrase"]

    def cli(args, stdin):
        result = run_cli(args, journal_path, env, stdin=stdin)
        assert result.returncode == 0, result.stderr.decode()
        return result.stdout.decode()

    created = cli(["init", "--track", CANARIES["addiction"]], f"{passphrase}\n{passphrase}\n")
    recovery_code = next(line.strip() for line in created.splitlines() if line.count("-") == 7)
    cli(["write", "--tag", CANARIES["tag"], f"called my sponsor {CANARIES['entry']}"],
        f"{passphrase}\n")
    cli(["write", "-"], f"{passphrase}\nfrom stdin {CANARIES['stdin entry']}\n")
    assert CANARIES["entry"] in cli(["list"], f"{passphrase}\n")
    assert "1 entry found" in cli(["search", CANARIES["entry"]], f"{passphrase}\n")
    assert "0 entries found" in cli(["search", CANARIES["search"]], f"{passphrase}\n")
    export = home / "for-my-group.md"
    cli(["export", "--out", str(export)], f"{passphrase}\n")
    cli(["backup"], f"{passphrase}\n")

    # In-process: edit, delete, drafts, a backup, lock, with TMPDIR pointed inside.
    monkeypatch.setenv("TMPDIR", env["TMPDIR"])
    monkeypatch.setattr(tempfile, "tempdir", None)
    journal = Journal.open(journal_path, passphrase)
    entry = journal.entries()[0]
    entry.text = f"edited {CANARIES['edited']}"
    journal.update(entry)
    doomed = journal.add(Entry(text=f"regret writing {CANARIES['deleted']}"))
    journal.delete(doomed)
    journal.save_draft("entry:new", {"text": f"half typed {CANARIES['draft']}"})
    journal.discard_draft("entry:new")
    journal.add(Urge(addiction=CANARIES["addiction"], intensity=7,
                     trigger_note=CANARIES["urge"]))
    journal.backup(home / "in-process-backup.db")
    # While unlocked, the write-ahead log and its index are on disk too: search them now.
    assert journal_path.with_name(journal_path.name + "-wal").exists()
    open_hits, open_files, _ = search_tree(home, CANARIES, skip={export})
    assert open_hits == []
    journal.lock()

    cli(["passwd"], f"{passphrase}\n{new_passphrase}\n{new_passphrase}\n")
    listed = cli(["list"], f"{new_passphrase}\n")
    assert CANARIES["edited"] in listed and CANARIES["deleted"] not in listed

    needles = dict(CANARIES, **{"recovery code": recovery_code})
    # The export the person asked for holds their words: the search does find them.
    export_hits, _, _ = search_tree(home, {"entry": CANARIES["entry"]}, skip=set())
    assert export_hits == [f"entry (utf-8) in {export.relative_to(home)}"]

    hits, files, size = search_tree(home, needles, skip={export})
    backups = list((journal_path.parent / "backups").iterdir())
    print(f"\n[leaks] searched {open_files} files while unlocked, then {files} files "
          f"({size} bytes, {len(backups)} CLI backups, "
          f"TMPDIR, cache, config) for {len(needles)} canaries x 6 encodings: "
          f"{len(hits)} found")
    assert backups and files >= 3  # the journal, its CLI backup, the in-process backup
    assert hits == []


def test_encodings_find_what_they_should():
    """The search itself can fail: each encoding finds a canary hidden that way."""
    canary = CANARIES["entry"]
    for prefix in (b"", b"x", b"xy"):
        hidden = base64.b64encode(prefix + canary.encode() + b" and more")
        assert any(p in hidden for k, p in encodings(canary).items() if k.startswith("base64"))
    assert encodings(canary)["utf-16-be"] in ("..." + canary).encode("utf-16-be")
