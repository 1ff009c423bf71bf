"""Guided exercises, one screen a module: pick one by point or search (`choose`),
carry on with a draft or start afresh (`start`), work through it step by step
and save the answers (`run`), and look back at earlier answers (`history`) or read
one, or two side by side (`response`). What they share about answers is in
`answers`; their styles are in `exercises.tcss`.

Unsaved answers are sealed as a draft as the person goes (`exercise:<id>`), so a
lock, a crash or Escape never loses them; reopening the exercise offers them back.
"""
