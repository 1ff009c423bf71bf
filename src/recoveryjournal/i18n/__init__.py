"""Translations: `_()` for every user-visible string, gettext catalogs per language.

Catalogs live in `i18n/locale/<lang>/LC_MESSAGES/recoveryjournal.mo`. The
language follows the setting, else LANG / LC_MESSAGES, else English.

English is the source language: the msgids are the English text, so English
needs no catalog. Swedish, Danish and Norwegian Bokmål have a `.po` (edited by
translators) and the compiled `.mo` beside it, both shipped in the wheel.

    python tools/i18n.py extract   # source -> recoveryjournal.pot -> each .po
    python tools/i18n.py compile   # each .po -> .mo

(The developers' tool, outside the package: it needs Babel, which only the `test`
extra installs; the app needs nothing but the standard library's gettext.)

Strings kept in module-level constants are evaluated at import, before the
language is known: mark them with `N_("...")` (so the extractor finds them) and
call `_(CONSTANT)` where they are shown.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

DOMAIN = "recoveryjournal"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = {"en": "English", "sv": "Svenska", "da": "Dansk", "nb": "Norsk bokmål"}

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def language_from_environment() -> str:
    """The first supported language named by LANGUAGE, LC_ALL, LC_MESSAGES or LANG."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for value in os.environ.get(variable, "").split(":"):
            code = value.split(".")[0].split("_")[0].lower()
            if code in ("no", "nn"):
                code = "nb"  # Norwegian without a variant: Bokmål is what we ship
            if code in LANGUAGES:
                return code
    return "en"


def set_language(code: str | None) -> str:
    """Switch every later `_()` to `code` ("" or None: from the environment)."""
    global _translation, _language
    code = code or language_from_environment()
    if code not in LANGUAGES:
        code = "en"
    _language = code
    _translation = gettext.translation(
        DOMAIN, localedir=LOCALE_DIR, languages=[code], fallback=True
    )
    return code


def current_language() -> str:
    """The code of the language `_()` translates into now ("en", "sv", "da", "nb")."""
    return _language


def _(message: str) -> str:
    """The message in the current language."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural message for `n`, in the current language."""
    return _translation.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """`_()` for a short word whose translation depends on where it is used."""
    return _translation.pgettext(context, message)


def N_(message: str) -> str:
    """Mark a string for translation without translating it now (module constants)."""
    return message
