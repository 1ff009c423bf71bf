"""The keys every 0-10 scale answers to, checked the same way on each screen that
has one (Urge now's three, the exercises' scale and timer steps)."""

from __future__ import annotations

from recoveryjournal.tui.widgets.scale import Scale


async def check_scale_keys(pilot, scale: Scale) -> None:
    """Drive the focused `scale` with the keys a person would use and check each
    lands on the number they meant. Leaves the scale at 4."""
    assert pilot.app.focused is scale
    async def press(*keys: str) -> int | None:
        await pilot.press(*keys)
        await pilot.pause()
        return scale.value

    assert await press("3") == 3
    assert await press("1", "0") == 10  # "1 then 0" is ten
    assert await press("right") == 10  # no further than ten
    assert await press("left") == 9
    assert await press("0") == 0  # a 0 after anything but a 1 is zero
    assert await press("left") == 0
    assert await press("end") == 10
    assert await press("home") == 0
    assert await press("1", "right", "0") == 0  # the arrow came between: zero, not ten
    # A click on the 4 (each number takes " n " three cells from the left edge).
    await pilot.click(scale, offset=(4 * 3 + 1, 0))
    await pilot.pause()
    assert scale.value == 4
