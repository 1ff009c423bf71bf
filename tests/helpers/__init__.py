"""Helpers shared by the tests, in one place: `tui` (a fixed clock, a journal ready to
unlock, typing through Pilot, the screen as text), `journals` (journals at the real
KDF floor for subprocess tests), `processes`, `terminal`, `torture` and `writer`
(running the real program). Fixtures are in tests/conftest.py."""

# The passphrase of the journals the tests make (conftest's `journal`, helpers.tui).
PASSPHRASE = "correct horse battery"
