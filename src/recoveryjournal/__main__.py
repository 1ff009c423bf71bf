"""`python -m recoveryjournal`."""

from .cli import run

run()
