"""Map an offset inside a rule text back to its file, line and column."""

from __future__ import annotations

from pathlib import Path

from .._standard.model import Origin


def _file_lines(file: str) -> tuple[str, ...]:
    try:
        return tuple(Path(file).read_text(encoding="utf-8-sig").splitlines())
    except OSError:
        return ()


def locate(origin: Origin | None, text: str, offset: int) -> tuple[str | None, int | None, int | None]:
    """``(file, line, col)`` of ``text[offset]``, where ``text`` is the value of a YAML scalar
    that starts at ``origin``."""
    if origin is None:
        return None, None, None
    offset = max(0, min(offset, len(text)))
    style = origin.style or ""
    if style in ("|", ">"):
        # a block scalar: its content starts on the next line, indented
        line_index = text.count("\n", 0, offset)
        line_no = origin.line + 1 + line_index
        lines = _file_lines(origin.file) if origin.file else ()
        start_of_line = text.rfind("\n", 0, offset) + 1
        within = offset - start_of_line
        indent = 0
        # skip blank lines between the indicator and the content, if any
        while 0 < line_no <= len(lines) and not lines[line_no - 1].strip() and line_index == 0:
            line_no += 1
        if 0 < line_no <= len(lines):
            raw = lines[line_no - 1]
            indent = len(raw) - len(raw.lstrip(" "))
        return origin.file, line_no, indent + within + 1
    line_index = text.count("\n", 0, offset)
    if line_index == 0:
        quote = 1 if style in ('"', "'") else 0
        return origin.file, origin.line, origin.col + quote + offset
    # a multi-line plain or quoted scalar: find the line in the file by its text
    lines = _file_lines(origin.file) if origin.file else ()
    start_of_line = text.rfind("\n", 0, offset) + 1
    fragment = text[start_of_line : text.find("\n", start_of_line) if "\n" in text[start_of_line:] else None].strip()
    for n in range(origin.line, min(len(lines), origin.line + 200) + 1):
        pos = lines[n - 1].find(fragment) if fragment else -1
        if pos >= 0:
            return origin.file, n, pos + 1 + (offset - start_of_line)
    return origin.file, origin.line, origin.col
