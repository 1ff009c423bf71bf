"""What makes a new passphrase usable: one set of rules for the CLI and the app.

Pure (no terminal, no Textual), so `cli/` and `tui/` both import it from here,
below them. Besides a length, it refuses the handful of passphrases that every
guessing tool tries first: a journal "protected" by "password" is not.
"""

from __future__ import annotations

from .i18n import _

MIN_PASSPHRASE_LENGTH = 8
MAX_SECRET_LENGTH = 1024  # long enough for any passphrase; bounds memory and KDF input

# The most common passwords of 8 or more characters in public breach lists
# (shorter ones are refused for their length already), a few in Swedish, Danish
# and Norwegian, and this app's own name. Compared case-insensitively, spaces ignored.
COMMON_PASSPHRASES = frozenset("""
password password1 password12 password123 password1234 passw0rd p@ssw0rd p@ssword
12345678 123456789 1234567890 12345678910 87654321 11111111 00000000 88888888
99999999 12341234 11223344 1q2w3e4r 1q2w3e4r5t 1qaz2wsx qwertyui qwertyuiop
qwerty12 qwerty123 qwerty1234 asdfghjk asdfghjkl zxcvbnm1 abcd1234 abc12345
abcdefgh iloveyou iloveyou1 iloveyou2 sunshine sunshine1 princess princess1
football football1 baseball basketball superman batman123 starwars trustno1
welcome1 welcome123 letmein1 letmein123 whatever computer internet michelle
jennifer jordan23 charlie1 chocolate butterfly liverpool mercedes corvette
master12 monkey123 dragon12 shadow12 michael1 changeme changeme1 secret12
secret123 default1 administrator admin123 test1234 testtest hello123 freedom1
lösenord losenord lösenord1 losenord1 lösenord123 kodeord kodeord1 kodeord123
adgangskode passord passord1 passord123 hemligt1 sommar2024 sommar2025 sommar2026
recoveryjournal recovery recovery1 journal1 mypassword mypassphrase passphrase
""".split())


def is_common(passphrase: str) -> bool:
    """Whether `passphrase` is one of the most common passwords (any case, any spaces)."""
    return "".join(passphrase.split()).casefold() in COMMON_PASSPHRASES


def passphrase_problem(passphrase: str) -> str | None:
    """Why a new passphrase cannot be used, or None."""
    if not passphrase.strip():
        return _("The passphrase cannot be empty.")
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        return (
            _("Please use at least {n} characters; a few ordinary words in a row work well."
              ).format(n=MIN_PASSPHRASE_LENGTH)
        )
    if len(passphrase) > MAX_SECRET_LENGTH:
        return _("Please use at most {n} characters.").format(n=MAX_SECRET_LENGTH)
    if is_common(passphrase):
        return _("That is one of the most common passwords, the first a guessing tool would "
                 "try. A few ordinary words in a row are safer and easy to remember.")
    return None
