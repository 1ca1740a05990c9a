"""Evaluation: a compiled standard and validated facts in, a :class:`Result` out."""
