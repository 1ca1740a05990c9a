"""Uploaded bytes -> facts documents or batch sources.  Nothing here opens a path: a file
name sent by a client only picks the format and names the document in problems.

A zip batch is checked before anything is unpacked: every member name must be relative
and stay inside the archive (no ``/x``, ``..``, ``C:``), no member may be encrypted, and
the members are read with a running total so that a zip bomb stops at the limit whatever
its headers claim.  Members are read into memory only; nothing is written to disk.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from pathlib import PurePosixPath
from typing import Any

from .._batch.sources import SourceItem, iter_jsonl_bytes
from .._errors import FactsError, Problem
from .._facts.read import MAX_FACTS_BYTES, facts_from_bytes
from .._yaml import Positions
from .settings import WebSettings

FACTS_SUFFIXES = (".yaml", ".yml", ".json")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
BATCH_SUFFIXES = JSONL_SUFFIXES + (".zip",) + FACTS_SUFFIXES

_UNSAFE_CHARS = re.compile(r"[\x00-\x1f\x7f]")


def display_name(filename: str | None, default: str = "upload") -> str:
    """The last part of a client's file name, without control characters (for messages only)."""
    name = re.split(r"[\\/]", filename or "")[-1]
    name = _UNSAFE_CHARS.sub("", name).strip()[:200]
    return name or default


def suffix_of(name: str) -> str:
    return PurePosixPath(name.lower()).suffix


def _check_type(name: str, allowed: tuple[str, ...]) -> None:
    if suffix_of(name) not in allowed:
        raise FactsError(Problem("upload-type", {"name": name, "allowed": " ".join(allowed)}, file=name))


def _check_size(raw: bytes, limit: int, name: str) -> None:
    if len(raw) > limit:
        raise FactsError(Problem("file-too-large", {"size": len(raw), "limit": limit}, file=name))


def facts_upload(name: str, raw: bytes, settings: WebSettings) -> tuple[Any, Positions | None, str]:
    """One facts document (YAML or JSON, by the name's suffix): ``(doc, positions, display)``."""
    _check_type(name, FACTS_SUFFIXES)
    limit = min(settings.max_upload_bytes, MAX_FACTS_BYTES)
    _check_size(raw, limit, name)
    return facts_from_bytes(raw, name, limit=limit)


def batch_sources(name: str, raw: bytes, settings: WebSettings) -> list[SourceItem]:
    """The documents of a batch upload: JSONL (one document a line), a zip of YAML/JSON facts
    files, or one facts file.  At most ``settings.max_rows`` of them."""
    _check_type(name, BATCH_SUFFIXES)
    _check_size(raw, settings.max_upload_bytes, name)
    suffix = suffix_of(name)
    if suffix in JSONL_SUFFIXES:
        items: list[SourceItem] = []
        for item in iter_jsonl_bytes(name, raw):
            items.append(item)
            _check_rows(len(items), settings)
        return items
    if suffix == ".zip":
        return zip_sources(name, raw, settings)
    return [(name, "blob", (name, raw))]


def _check_rows(n: int, settings: WebSettings) -> None:
    if n > settings.max_rows:
        raise FactsError(Problem("batch-too-many-rows", {"limit": settings.max_rows}))


def _refuse(name: str, zh: str, en: str) -> FactsError:
    return FactsError(Problem("zip-refused", {"name": name, "reason": en, "reason_zh": zh}, file=name))


def _member_problem(member: str) -> tuple[str, str] | None:
    """Why a member name is unsafe (zh, en), or None."""
    if _UNSAFE_CHARS.search(member):
        return "名称含控制字符", "its name has control characters"
    norm = member.replace("\\", "/")
    if norm.startswith("/") or re.match(r"^[A-Za-z]:", norm):
        return "绝对路径", "an absolute path"
    if ".." in PurePosixPath(norm).parts:
        return "路径含 “..”", "a path with '..'"
    return None


def _skipped(member: str) -> bool:
    parts = PurePosixPath(member.replace("\\", "/")).parts
    return any(p.startswith(".") or p == "__MACOSX" for p in parts) or suffix_of(member) not in FACTS_SUFFIXES


def zip_sources(name: str, raw: bytes, settings: WebSettings) -> list[SourceItem]:
    """The YAML/JSON members of a zip (sorted by name; hidden files and other types skipped,
    as in a folder given to ``starrules batch``), each a ``blob`` source labelled
    ``ZIP/MEMBER``.  The whole zip is refused if any member name is unsafe."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise _refuse(name, "不是有效的 zip 文件", "not a valid zip file") from None
    for info in infos:
        why = _member_problem(info.filename)
        if why is not None:
            raise _refuse(f"{name}/{info.filename}", *why)
        if info.flag_bits & 0x1:
            raise _refuse(f"{name}/{info.filename}", "已加密", "it is encrypted")
    members = sorted((i for i in infos if not i.is_dir() and not _skipped(i.filename)), key=lambda i: i.filename)
    _check_rows(len(members), settings)
    total = 0
    items: list[SourceItem] = []
    for info in members:
        label = f"{name}/{info.filename}"
        room = settings.max_unzipped_bytes - total
        try:
            with zf.open(info) as f:
                data = f.read(min(room, MAX_FACTS_BYTES) + 1)
        except (zipfile.BadZipFile, NotImplementedError, zlib.error, EOFError, OSError, RuntimeError):
            raise _refuse(label, "无法解压", "it cannot be unpacked") from None
        total += len(data)
        if len(data) > room:
            raise _refuse(label, f"解压后超过上限 {settings.max_unzipped_bytes} 字节",
                          f"the zip unpacks to more than {settings.max_unzipped_bytes} bytes")
        items.append((label, "blob", (label, data)))
    return items
