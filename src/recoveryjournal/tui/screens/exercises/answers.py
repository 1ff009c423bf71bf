"""What the exercise screens share about answers: the name of an exercise's draft,
its saved answers (under old ids too), and how answers read back on screen."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from textual.content import Content

from ....exercises import Exercise, Step, answer_lines, canonical_exercise_id
from ....i18n.formats import format_datetime
from ....journal import Journal
from ....records import ExerciseResponse
from ....safetext import clean, one_line
from ...widgets.exercise_fields import literal


def draft_purpose(exercise: Exercise) -> str:
    return f"exercise:{exercise.id}"


def responses_for(journal: Journal, exercise_id: str) -> list[ExerciseResponse]:
    """Saved answers to one exercise, newest first, including those saved under an old
    id of the same exercise (a renamed exercise keeps its history)."""
    wanted = canonical_exercise_id(exercise_id)
    return [r for r in reversed(journal.records(ExerciseResponse))
            if canonical_exercise_id(r.exercise_id) == wanted]


def short_prompt(step: Step, width: int = 70) -> str:
    """A prompt cut down to a heading for an answer shown again later: the part
    before a colon ("The situation: where were you?"), else its question."""
    # "(one per line)" and the like help while typing, not when reading back.
    text = re.sub(r"\s*\([^)]*\)(?=[.?]?$)", "", one_line(step.prompt.get()))
    colon = text.find(":")
    if 0 < colon <= width:
        return text[:colon]
    questions = [s.strip() for s in text.replace("? ", "?\n").split("\n") if s.strip().endswith("?")]
    sentences = [s.strip() for s in text.replace(". ", ".\n").split("\n")]
    if questions and len(questions[-1].split(". ")[-1]) <= width:
        return questions[-1].split(". ")[-1]
    return one_line(sentences[0] if len(sentences[0]) <= width else text, width).rstrip(".")


def when_text(moment: datetime) -> str:
    return format_datetime(moment.astimezone(), numeric=True)


def answers_content(exercise: Exercise, answers: dict[str, Any],
                    steps: list[Step] | None = None) -> Content:
    """Answers as literal text under bold step headings (user text never becomes markup)."""
    parts: list[Content] = []
    for step in steps if steps is not None else exercise.steps:
        if parts:
            parts.append(Content("\n\n"))
        parts.append(Content.styled(clean(short_prompt(step)), "bold"))
        for line in answer_lines(step, answers.get(step.id), answers=answers):
            parts.append(Content("\n"))
            parts.append(literal(line))
    return Content("").join(parts) if parts else Content("")


def response_of(journal: Journal, draft_content: dict[str, Any]) -> ExerciseResponse | None:
    """The saved response a draft was adding to ("responding_to"), if it still exists."""
    record_id = draft_content.get("responding_to")
    found = journal.get(record_id) if isinstance(record_id, str) else None
    return found if isinstance(found, ExerciseResponse) else None
