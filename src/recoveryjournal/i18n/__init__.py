"""Translations: `_()` for every user-visible string, gettext catalogs per language.

Catalogs live in `i18n/locale/<lang>/LC_MESSAGES/recoveryjournal.mo`. The
language follows the setting, else LANG / LC_MESSAGES, else English.
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
    return _language


def _(message: str) -> str:
    """The message in the current language."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)
