"""Plans to come back to: a saved exercise whose "after trying it" step is still empty.

Some exercises end with a step to fill in after trying the plan (healthy pleasures:
"how much did you enjoy it?"; problem solving: "how did it go?"). Such a step says
`come_back = true` in its exercise file and is optional, so the answers can be saved
before the plan is tried. Until the step is answered, the dashboard mentions the plan
once as its suggested step, and opening the exercise offers to say how it went
(tui/screens/exercises.py). A plan older than COME_BACK_DAYS is let go quietly: the
reminder is an offer, never a debt.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from .exercises import Exercise, ExerciseLibrary, Step, answer_lines, canonical_exercise_id
from .exercises import is_answered
from .records import ExerciseResponse
from .safetext import one_line

COME_BACK_DAYS = 30


@dataclass(frozen=True)
class ComeBack:
    """One saved response waiting for its "after trying it" step."""

    exercise: Exercise
    response: ExerciseResponse
    step: Step
    plan: str  # what the person planned, on one line ("" when the plan step is empty)

    @property
    def step_index(self) -> int:
        return self.exercise.steps.index(self.step)


def waiting_step(exercise: Exercise, response: ExerciseResponse) -> Step | None:
    """The first come-back step this response has not answered yet, if any."""
    for step in exercise.steps:
        if step.come_back and not is_answered(step, response.answers.get(step.id)):
            return step
    return None


def plan_of(exercise: Exercise, response: ExerciseResponse, step: Step, width: int = 60) -> str:
    """What the person planned: the answer to the last step the come-back step recalls."""
    for wanted in reversed(step.recall):
        earlier = next((s for s in exercise.steps if s.id == wanted), None)
        if earlier is None:
            continue
        lines = [line for line in answer_lines(earlier, response.answers.get(wanted)) if line]
        if lines:
            return one_line(" ".join(lines), width)
    return ""


def plans_to_come_back(library: ExerciseLibrary, responses: list[ExerciseResponse],
                       now: datetime) -> list[ComeBack]:
    """Newest first: for each exercise, its latest response if that one still waits for
    its come-back step and was saved in the last COME_BACK_DAYS days. An earlier
    response of the same exercise is not brought up again once a newer one exists."""
    newest: dict[str, ExerciseResponse] = {}
    for response in responses:
        exercise_id = canonical_exercise_id(response.exercise_id)
        known = newest.get(exercise_id)
        if known is None or response.created > known.created:
            newest[exercise_id] = response
    found = []
    for exercise_id, response in newest.items():
        exercise = library.get(exercise_id)
        if exercise is None or now - response.created > timedelta(days=COME_BACK_DAYS):
            continue
        step = waiting_step(exercise, response)
        if step is not None:
            found.append(ComeBack(exercise, response, step, plan_of(exercise, response, step)))
    return sorted(found, key=lambda c: c.response.created, reverse=True)
