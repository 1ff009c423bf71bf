"""Editing a journal file behind the app's back, as anyone holding the laptop could."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def sql(path: Path, statement: str, *args) -> list:
    """Run one SQL statement on the file directly and commit; its rows."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA synchronous = OFF")  # an attacker's edit need not be durable
        rows = conn.execute(statement, args).fetchall()
        conn.commit()
        return rows
    finally:
        conn.close()
