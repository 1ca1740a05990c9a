"""Documents for the diff tests: those of the batch tests (generated branches, the five-star
example as other branches, JSONL helpers)."""

from __future__ import annotations

from batch._support import EXAMPLES, ROOT, five_star, generate, json_line, write_jsonl

__all__ = ["generate", "five_star", "json_line", "write_jsonl", "ROOT", "EXAMPLES"]
