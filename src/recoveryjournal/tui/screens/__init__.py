"""Screens of the full-screen app; each feature screen keeps its styles in a .tcss beside it."""
