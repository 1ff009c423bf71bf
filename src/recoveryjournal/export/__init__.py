"""Exports, encrypted backups and importers.

Exports are the one place plaintext leaves the vault: they are written only
when the person asks, hold exactly what they chose, carry a line saying the
file is not encrypted, are 0600, and never replace a file without asking.
Each writer is imported lazily by the command or screen that uses it.
"""
