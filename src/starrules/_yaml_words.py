"""Plain words for the YAML parser's problems (PyYAML/libyaml speak in parser terms:
"did not find expected alphabetic or numeric character").  Policy staff read what went wrong
and how to write it instead, in Chinese and English; the parser's own text is never shown,
except (after the plain words) for a problem this table does not know.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# (problem starts with, context contains or "", zh, en, zh fix, en fix)
_RULES: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("mapping values are not allowed", "",
     "这里不能再出现“冒号+空格”（YAML 以它分隔键和值）",
     "a colon followed by a space cannot appear here (YAML uses it between a key and its value)",
     "含有冒号的文字要加引号，例如 title: \"说明：要求\"；或检查上一行是否少了缩进。",
     "Quote text that contains a colon, e.g. title: \"note: needed\"; or check the indentation of the line above."),
    ("did not find expected alphabetic or numeric character", "anchor",
     "`&` 开头的文字要加引号（YAML 把 & 当作锚点）",
     "text starting with `&` must be quoted (YAML reads & as an anchor)",
     "把整段文字放进引号，例如 \"& 等\"。", "Put the whole text in quotes, e.g. \"& co\"."),
    ("did not find expected alphabetic or numeric character", "",
     "`*` 开头的文字要加引号（YAML 把 * 当作别名）",
     "text starting with `*` must be quoted (YAML reads * as an alias)",
     "把整段文字放进引号，例如 \"*重点*\"。", "Put the whole text in quotes, e.g. \"*key point*\"."),
    ("found undefined alias", "",
     "`*` 开头的文字要加引号（YAML 把 * 当作别名，而这里没有同名的锚点 &）",
     "text starting with `*` must be quoted (YAML reads * as an alias, and no anchor & has that name)",
     "把整段文字放进引号，例如 \"*重点*\"；若确是别名，先用 &名称 定义它。",
     "Put the whole text in quotes, e.g. \"*key point*\"; for a real alias, define &name first."),
    ("found unexpected end of stream", "quoted",
     "引号没有闭合：文字以引号开始，但到文件末尾也没有结束的引号",
     "a quote is never closed: the text opens a quote that the file never closes",
     "在文字末尾补上同样的引号（\" 或 '）。", "Add the same quote (\" or ') at the end of the text."),
    ("found unknown escape character", "",
     "双引号中的反斜杠 \\ 后面跟了 YAML 不认识的字符",
     "a backslash \\ inside double quotes is followed by a character YAML does not know",
     "把 \\ 写成 \\\\，或改用单引号。", "Write \\ as \\\\, or use single quotes."),
    ("did not find expected key", "",
     "缩进不一致：同一层的键没有对齐（或上一项的文字没写完）",
     "inconsistent indentation: keys of the same level are not aligned (or the previous text is unfinished)",
     "让同一层的键从同一列开始，只用空格缩进。", "Start keys of the same level in the same column, indenting with spaces only."),
    ("did not find expected '-' indicator", "",
     "列表中混入了不是列表项的行：列表的每一项都以 “- ” 开头并对齐",
     "a line inside a list is not a list item: every item of a list starts with \"- \", aligned",
     "给该行加上 “- ”，或调整缩进让它属于上一项。", "Add \"- \" to the line, or indent it so that it belongs to the item above."),
    ("expected <block end>", "",
     "缩进不一致：这一行的缩进与上面的结构对不上",
     "inconsistent indentation: this line does not fit the structure above",
     "让同一层的键或列表项从同一列开始。", "Start keys or list items of the same level in the same column."),
    ("did not find expected ',' or ']'", "",
     "方括号 [ ] 没有闭合，或列表项之间少了逗号",
     "a bracket [ ] is not closed, or a comma is missing between items",
     "补上 ]，或在各项之间加逗号；含逗号的文字要加引号。",
     "Close the bracket, or put commas between items; quote text that contains a comma."),
    ("did not find expected ',' or '}'", "",
     "花括号 { } 没有闭合，或各项之间少了逗号",
     "a brace { } is not closed, or a comma is missing between entries",
     "补上 }，或在各项之间加逗号；含逗号的文字要加引号。",
     "Close the brace, or put commas between entries; quote text that contains a comma."),
    ("could not find expected ':'", "",
     "少了冒号：这一行应是“键: 值”（或一段多行文字没有加引号）",
     "a colon is missing: this line should read \"key: value\" (or a multi-line text is not quoted)",
     "写成 “键: 值”（冒号后加一个空格），多行文字请加引号或用 | 。",
     "Write \"key: value\" (a space after the colon); quote multi-line text or use |."),
    ("but found another document", "",
     "文件里有不止一个文档（出现了 --- 分隔线）",
     "the file holds more than one document (a --- separator line)",
     "删除多余的 --- 行，一个文件只写一份内容。", "Remove the extra --- line: one document per file."),
)

_START_CHARS = {"\t": ("不能用 Tab 键缩进", "a tab cannot indent YAML",
                       "把 Tab 换成空格。", "Replace the tab by spaces.")}


def plain(params: Mapping[str, Any], lang: str) -> tuple[str, str]:
    """(message, fix) in ``lang`` for a ``yaml-syntax`` problem's params."""
    problem = str(params.get("problem", ""))
    context = str(params.get("context", ""))
    zh = lang == "zh"
    if problem.startswith("found character") and "cannot start any token" in problem:
        ch = str(params.get("char", ""))
        if ch in _START_CHARS:
            z, e, fz, fe = _START_CHARS[ch]
            return (z, fz) if zh else (e, fe)
        shown = f"`{ch}`" if ch else ("这个字符" if zh else "this character")
        if zh:
            return f"{shown} 开头的文字要加引号（YAML 不允许值以它开头）", "把整段文字放进引号，例如 \"@某某\"。"
        return f"text starting with {shown} must be quoted (YAML does not allow a value to start with it)", \
            "Put the whole text in quotes, e.g. \"@name\"."
    for start, ctx, z, e, fz, fe in _RULES:
        if problem.startswith(start) and ctx in context:
            return (z, fz) if zh else (e, fe)
    if problem.startswith(("control characters are not allowed", "unacceptable character")) or "#x" in problem:
        return (("文件中有不可见的控制字符", "删除该字符（常见于从网页或 Word 复制的文字）。") if zh else
                ("the file holds an invisible control character",
                 "Delete it (it often comes with text copied from a web page or Word)."))
    if zh:
        return (f"这里的 YAML 写法无法识别（解析器：{problem}）",
                "检查该处的缩进、冒号和引号；含冒号或 # 的文字请加引号。")
    return (f"this YAML cannot be read here (parser: {problem})",
            "Check indentation, colons and quotes here; quote text containing ':' or '#'.")
