"""Files in and out, safely: bounded reads of regular files only, atomic writes, and no
output over an input.

* :func:`read_bytes` opens without blocking (a FIFO does not hang), refuses anything that is
  not a regular file (``/dev/zero``, pipes, sockets, devices: ``not-a-regular-file``) and
  reads at most ``limit + 1`` bytes (``file-too-large``), whatever the file claims to be.
* :class:`AtomicFile` / :func:`write_atomic` write to a temporary file beside the target and
  rename it over the target (:func:`os.replace`) only when everything was written: a crash,
  a full disk or a concurrent run never leaves a partial file, and the previous output stays
  whole until the new one is complete.  Failures are ``output-unwritable``, located.
* :func:`check_outputs` refuses an output that is an input, lies inside an input folder, or
  is named twice (``output-over-input``).
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO

from ._errors import OutputError, Problem, StarrulesError

_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_O_BINARY = getattr(os, "O_BINARY", 0)


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


# -- reading -----------------------------------------------------------------------------------


def read_bytes(path: str | os.PathLike[str], limit: int, display: str,
               error: type[StarrulesError] = StarrulesError) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; ``error`` (with one located
    problem) for a missing, unreadable, special or too large file."""
    try:
        fd = os.open(path, os.O_RDONLY | _O_NONBLOCK | _O_BINARY)
    except (FileNotFoundError, NotADirectoryError):
        raise error(Problem("file-not-found", {"file": display}, file=display)) from None
    except IsADirectoryError:  # Windows; elsewhere a folder opens and is refused below
        raise error(Problem("file-not-found", {"file": display}, file=display)) from None
    except OSError as exc:
        raise error(Problem("file-unreadable", {"file": display, "reason": _reason(exc)}, file=display)) from None
    except ValueError:  # a NUL in the path
        raise error(Problem("file-not-found", {"file": display}, file=display)) from None
    with os.fdopen(fd, "rb") as f:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise error(Problem("file-not-found", {"file": display}, file=display))
        if not stat.S_ISREG(mode):
            raise error(Problem("not-a-regular-file", {"file": display}, file=display))
        try:
            data = f.read(limit + 1)
        except OSError as exc:
            raise error(Problem("file-unreadable", {"file": display, "reason": _reason(exc)}, file=display)) from None
    if len(data) > limit:
        size = max(len(data), _size(path))
        raise error(Problem("file-too-large", {"size": size, "limit": limit}, file=display))
    return data


def decode_text(raw: bytes, display: str, error: type[StarrulesError] = StarrulesError) -> str:
    """UTF-8 text (a BOM accepted); UTF-16/32 and other encodings are ``encoding``, with the line."""
    nul = raw.find(b"\0")
    if nul >= 0:  # UTF-16/32 (Notepad's "Unicode"): UTF-8 text never holds a NUL byte
        raise error(Problem("encoding", {}, file=display, line=raw[:nul].count(b"\n") + 1))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(Problem("encoding", {}, file=display, line=raw[: exc.start].count(b"\n") + 1)) from None


def _size(path: str | os.PathLike[str]) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def is_regular(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is (or links to) a regular file; never blocks."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


# -- outputs over inputs -----------------------------------------------------------------------


def _resolved(path: str | os.PathLike[str]) -> Path:
    return Path(os.path.abspath(path)).resolve()


def _same(a: Path, b: Path) -> bool:
    if a == b:
        return True
    try:
        return os.path.samefile(a, b)  # hard links, case-insensitive file systems
    except OSError:
        return False


def check_outputs(outputs: Sequence[tuple[str, str | os.PathLike[str]]],
                  inputs: Iterable[str | os.PathLike[str]]) -> None:
    """Raise :class:`OutputError` if an output (``(label, path)``, e.g. ``("-o", "x.jsonl")``)
    is an input, lies inside an input folder, or is the same file as another output."""
    problems: list[Problem] = []
    ins = [(str(i), _resolved(i)) for i in inputs]
    seen: list[tuple[str, str, Path]] = []
    for label, out in outputs:
        shown = str(out)
        target = _resolved(out)
        for name, src in ins:
            if _same(target, src) or (src.is_dir() and target.is_relative_to(src)):
                problems.append(Problem("output-over-input", {"output": f"{label} {shown}", "input": name},
                                        file=shown, path=label))
                break
        else:
            for other_label, other, other_path in seen:
                if _same(target, other_path):
                    problems.append(Problem("output-over-input", {"output": f"{label} {shown}",
                                                                  "input": f"{other_label} {other}"},
                                            file=shown, path=label))
                    break
        seen.append((label, shown, target))
    if problems:
        raise OutputError(problems)


# -- writing -----------------------------------------------------------------------------------


def _umask() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022


def _unwritable(display: str, exc: OSError) -> OutputError:
    reason = _reason(exc)
    if exc.errno == errno.ENOSPC:
        reason = "no space left on the device"
    return OutputError(Problem("output-unwritable", {"file": display, "reason": reason}, file=display))


class AtomicFile:
    """A binary output file that appears under its name only when complete.

    Write with :meth:`write`, then :meth:`commit` (rename over the target) or :meth:`abort`
    (remove the temporary file; the target is untouched).  As a context manager it commits
    on a normal exit and aborts on an exception.  Every failure is an :class:`OutputError`."""

    def __init__(self, path: str | os.PathLike[str], display: str | None = None) -> None:
        self.path = Path(path)
        self.display = display or str(path)
        target = _resolved(self.path)
        if target.is_dir():
            raise OutputError(Problem("output-unwritable", {"file": self.display, "reason": "is a folder"},
                                      file=self.display))
        if target.exists() and not stat.S_ISREG(target.stat().st_mode):  # a pipe, a device
            raise OutputError(Problem("not-a-regular-file", {"file": self.display}, file=self.display))
        self._target = target
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        except (OSError, ValueError) as exc:
            if isinstance(exc, ValueError):
                exc = OSError(errno.EINVAL, "invalid file name")
            raise _unwritable(self.display, exc) from None
        self._tmp = tmp
        self._file: IO[bytes] = os.fdopen(fd, "wb")
        self.done = False

    def write(self, data: bytes) -> None:
        try:
            self._file.write(data)
        except OSError as exc:
            self.abort()
            raise _unwritable(self.display, exc) from None

    def commit(self) -> None:
        if self.done:
            return
        try:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()
            try:
                mode = stat.S_IMODE(self._target.stat().st_mode)
            except OSError:
                mode = 0o666 & ~_umask()
            os.chmod(self._tmp, mode)
            os.replace(self._tmp, self._target)
        except OSError as exc:
            self.abort()
            raise _unwritable(self.display, exc) from None
        self.done = True

    def abort(self) -> None:
        if self.done:
            return
        self.done = True
        try:
            self._file.close()
        except OSError:
            pass
        try:
            os.unlink(self._tmp)
        except OSError:
            pass

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.abort()


def write_atomic(path: str | os.PathLike[str], data: bytes | str, display: str | None = None) -> None:
    """Write a whole file at once (text as UTF-8), atomically."""
    with AtomicFile(path, display) as f:
        f.write(data.encode("utf-8") if isinstance(data, str) else data)
