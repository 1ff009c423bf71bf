"""Textual's colour themes under names people recognise ("Standard dark",
"Nord (cool blue, dark)"), not the developer names ("textual-dark", "gruvbox")."""

from __future__ import annotations

from ..i18n import N_, _

# theme id -> (the name it is known by, or "" for ours, and a short look). The
# look is what tells two themes apart for someone who has never heard the names.
_THEMES = {
    "textual-dark": ("", N_("standard")),
    "textual-light": ("", N_("standard")),
    "ansi-dark": ("", N_("your terminal's own colours")),
    "ansi-light": ("", N_("your terminal's own colours")),
    "nord": ("Nord", N_("cool blue")),
    "gruvbox": ("Gruvbox", N_("warm brown")),
    "catppuccin-mocha": ("Catppuccin Mocha", N_("soft pastel")),
    "catppuccin-macchiato": ("Catppuccin Macchiato", N_("soft pastel")),
    "catppuccin-frappe": ("Catppuccin Frappé", N_("soft pastel")),
    "catppuccin-latte": ("Catppuccin Latte", N_("soft pastel")),
    "dracula": ("Dracula", N_("purple")),
    "tokyo-night": ("Tokyo Night", N_("deep blue")),
    "monokai": ("Monokai", N_("bright colours")),
    "flexoki": ("Flexoki", N_("ink")),
    "solarized-light": ("Solarized", N_("calm, low contrast")),
    "solarized-dark": ("Solarized", N_("calm, low contrast")),
    "rose-pine": ("Rosé Pine", N_("muted rose")),
    "rose-pine-moon": ("Rosé Pine Moon", N_("muted rose")),
    "rose-pine-dawn": ("Rosé Pine Dawn", N_("muted rose")),
    "atom-one-dark": ("Atom One", N_("clear colours")),
    "atom-one-light": ("Atom One", N_("clear colours")),
}


def theme_label(theme_id: str, dark: bool) -> str:
    """What a person sees for a theme in the current language."""
    known, look = _THEMES.get(theme_id, (theme_id.replace("-", " ").title(), ""))
    shade = _("dark") if dark else _("light")
    if not known:
        return _("{look}, {shade}").format(look=_(look), shade=shade).capitalize()
    if not look:
        return _("{name} ({shade})").format(name=known, shade=shade)
    return _("{name} ({look}, {shade})").format(name=known, look=_(look), shade=shade)


def theme_choices(available: dict) -> list[tuple[str, str]]:
    """(label, theme id) for every available theme: the standard ones first, then
    the dark ones, then the light ones, each by name."""
    def order(item):
        theme_id, theme = item
        return (not theme_id.startswith("textual-"), not theme.dark, theme_label(theme_id, theme.dark))
    return [(theme_label(theme_id, theme.dark), theme_id)
            for theme_id, theme in sorted(available.items(), key=order)]
