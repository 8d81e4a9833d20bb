"""Reading inputs and writing outputs safely: clear errors, atomic writes."""

from __future__ import annotations

import bisect
import os
import stat
import sys
from pathlib import Path

from repair.errors import EmptyInputError, InputError

MAX_BYTES = 50 * 1024 * 1024


def read_text(path: str) -> tuple[str, str]:
    """Read a UTF-8 text file (or stdin for ``-``); return (text, newline style).

    Raises InputError naming the file for: missing, a directory, binary, not UTF-8, too large.
    Text is returned with ``\\n`` line endings; the original style is returned so writes keep it.
    """
    if path == "-":
        data = sys.stdin.buffer.read()
        name = "<stdin>"
    else:
        p = Path(path)
        name = path
        if not path:  # Path("") is the current folder
            raise InputError("''", "is an empty path, not a file")
        if not p.exists():
            raise InputError(name, "no such file")
        if p.is_dir():
            raise InputError(name, "is a directory, not a file (pass the files inside it, or use `repair batch`)")
        try:
            size = p.stat().st_size
            if size > MAX_BYTES:
                raise InputError(name, f"file is too large ({size} bytes; limit {MAX_BYTES})")
            data = p.read_bytes()
        except PermissionError:
            raise InputError(name, "permission denied") from None
        except OSError as exc:
            raise InputError(name, f"cannot read: {exc.strerror or exc}") from None
    return decode(data, name)


def decode(data: bytes, name: str) -> tuple[str, str]:
    if not data.strip():
        raise EmptyInputError(name, "is empty: there is no text to check (pass --skip-empty to skip such files)")
    if b"\x00" in data[:8192]:
        raise InputError(name, "looks like a binary file (NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            name, f"is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); re-encode it as UTF-8"
        ) from None
    # Only a file whose every line ends in CRLF is converted (and written back with CRLF);
    # mixed endings stay exactly as they are, so unchanged lines are written back unchanged.
    crlf = text.count("\r\n")
    if crlf and crlf == text.count("\n"):
        return text.replace("\r\n", "\n"), "\r\n"
    return text, "\n"


def write_atomic(path: str | Path, text: str, *, newline: str = "\n", like: str | Path | None = None) -> None:
    """Write ``text`` to ``path`` through a temp file and rename; keep ``like``'s permissions.

    A symlink is written through (the link stays a link).  A target that exists but is not a
    regular file (a FIFO, ``/dev/stdout`` even when redirected to a file) is written straight
    to: renaming over it would replace the device or pipe with a file.  ``like`` starting with a UTF-8 byte-order mark
    gives the output one too, since reading drops it.
    """
    target = Path(os.path.realpath(path))
    data = text.replace("\n", newline) if newline != "\n" else text
    src = Path(like) if like is not None else target
    if like is not None and not data.startswith("\ufeff") and _has_bom(src):
        data = "\ufeff" + data
    if Path(path).exists() and (not Path(path).is_file() or str(path).startswith("/dev/")):
        with open(path, "w", encoding="utf-8", newline="") as fh:
            fh.write(data)
        return
    try:
        mode: int | None = stat.S_IMODE(src.stat().st_mode)
    except OSError:
        mode = None
    import tempfile  # only writers need it (~5 ms to import)

    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=str(target.parent))
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _has_bom(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(3) == b"\xef\xbb\xbf"
    except OSError:
        return False


def check_writable(path: str) -> None:
    """Raise InputError when ``path`` is read-only, so ``--in-place`` leaves it as it is.

    The atomic rename would otherwise replace a read-only file (and root may write anything),
    so the file's own write bits are checked as well as the caller's access.
    """
    try:
        mode = Path(path).stat().st_mode
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK):
        raise InputError(path, "is read-only; not rewritten (make it writable or use --output)")


_LINE_STARTS: tuple[str, list[int]] = ("", [0])  # the last long text's line starts


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset``.

    Reporters ask once per finding; in a long text with many findings counting newlines
    each time is quadratic, so the last long text's line starts are kept (by identity).
    """
    if len(text) < 65536:
        line = text.count("\n", 0, offset) + 1
        col = offset - (text.rfind("\n", 0, offset) + 1) + 1
        return line, col
    global _LINE_STARTS
    if _LINE_STARTS[0] is not text:
        starts = [0]
        find = text.find
        i = find("\n")
        while i >= 0:
            starts.append(i + 1)
            i = find("\n", i + 1)
        _LINE_STARTS = (text, starts)
    starts = _LINE_STARTS[1]
    line = bisect.bisect_right(starts, offset)
    return line, offset - starts[line - 1] + 1
