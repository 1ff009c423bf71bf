"""A box that filters a list below it: ↓ goes down into the list, so after
typing a filter, ↓ and one Enter open what was found (not two Enters)."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Input, OptionList


class FilterBox(Input):
    """An Input whose ↓ moves the cursor into the list it filters (`list_id`)."""

    BINDINGS = [Binding("down", "to_list", show=False)]

    def __init__(self, *args, list_id: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.list_id = list_id

    def action_to_list(self) -> None:
        """Into the list, on its first thing that can be opened if none is highlighted."""
        found = self.screen.query(f"#{self.list_id}")
        if not found:
            return
        target = found.first()
        if isinstance(target, OptionList) and target.highlighted is None:
            for index in range(target.option_count):
                if not target.get_option_at_index(index).disabled:
                    target.highlighted = index
                    break
        target.focus()
