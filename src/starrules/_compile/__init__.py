"""Compile a resolved standard: fact schema -> rule-language types, every expression -> a closure."""
