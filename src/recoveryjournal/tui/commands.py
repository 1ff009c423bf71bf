"""Command palette entries (ctrl+p) for every action the app has."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from . import keymap


class JournalCommands(Provider):
    """One palette entry per action in the keymap; journal actions only while unlocked."""

    def _available(self) -> list[keymap.KeyAction]:
        unlocked = getattr(self.app, "journal", None) is not None
        return [
            key
            for key in keymap.dashboard_keys() + keymap.app_keys()
            if key.action != "command_palette" and (unlocked or not key.needs_journal)
        ]

    def _run(self, action: str) -> None:
        self.app.call_later(self.app.run_action, action)

    async def discover(self) -> Hits:
        for key in self._available():
            yield DiscoveryHit(key.label, partial(self._run, key.action), help=f"{key.help} ({key.key})")

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for key in self._available():
            score = max(matcher.match(key.label), matcher.match(key.help) * 0.5,
                        max((matcher.match(word) for word in key.keywords.split()), default=0) * 0.5)
            if score > 0:
                yield Hit(score, matcher.highlight(key.label), partial(self._run, key.action),
                          help=f"{key.help} ({key.key})")
