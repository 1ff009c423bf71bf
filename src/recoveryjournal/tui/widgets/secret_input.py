"""A passphrase box that keeps a typed burst in order.

A password manager's auto-type sends "passphrase<Tab>passphrase<Enter>" in one
burst. Textual hands every key of a burst to the focused box before the Tab
has moved the focus (Tab is the app's binding, handled after the box saw the
key), so the second half landed in the first box and the Tab was lost.
`SecretInput` moves the focus itself on Tab, at once, and passes on the keys
of the burst already queued to it, in order, to wherever the focus now is.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input


class SecretInput(Input):
    """A password Input that moves on at a Tab inside a typed burst."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("password", True)
        super().__init__(*args, **kwargs)
        self._passing_on = False

    async def _on_key(self, event: events.Key) -> None:
        if self._passing_on:
            # Queued here before the Tab moved the focus: it belongs to the next box.
            event.stop()
            event.prevent_default()
            self.app.post_message(events.Key(event.key, event.character))
            return
        if event.key in ("tab", "shift+tab"):
            event.stop()
            event.prevent_default()
            if event.key == "tab":
                self.screen.focus_next()
            else:
                self.screen.focus_previous()
            self._passing_on = True
            # Runs after every key already queued here: from then on keys are ours again.
            self.call_later(self._stop_passing_on)
        # Any other key: Input's own _on_key runs next (Textual calls the handlers
        # along the class hierarchy), so no super() call here.

    def _stop_passing_on(self) -> None:
        self._passing_on = False
