"""Private files: directories 0700, files 0600, written atomically; one file name per
account, whatever its email looks like; a damaged SQLite file set aside, never lost,
with what can still be read of it carried over."""

from __future__ import annotations

import errno
import functools
import os
import re
from collections.abc import Callable, Iterable
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Concatenate, ParamSpec, Protocol, TypeVar

from optout.core.errors import EnvironmentProblem

_UNSAFE = re.compile(r"[^a-z0-9@._-]")
# Enough of the email to tell the files apart by eye; the hash keeps them apart for sure.
_READABLE_LENGTH = 64
_HASH_LENGTH = 12  # 48 bits: two accounts of one install never meet by chance
# Windows takes these (with any extension) for devices, not files.
_DEVICES = {"con", "prn", "aux", "nul"} | {f"{d}{n}" for d in ("com", "lpt") for n in range(10)}
# Errors that mean "no room": the member frees space, nothing is broken.
_NO_ROOM = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}
P = ParamSpec("P")
T = TypeVar("T")
R = TypeVar("R", bound="Rescuer")


def legacy_safe_name(text: str) -> str:
    """The file name earlier versions gave `text`. Not one to one ("a+b@x" and "a_b@x"
    met in one file): used only to find what they left."""
    return _UNSAFE.sub("_", text.lower())


def safe_name(text: str) -> str:
    """`text` (an account's email) as a file name on every OS, one to one and the same on
    every run: a readable part, then a hash of the exact text, so names that read alike,
    or differ only in case on a file system that ignores case, never share a file."""
    readable = legacy_safe_name(text).lstrip(".-")[:_READABLE_LENGTH] or "_"
    if readable.split(".", 1)[0] in _DEVICES:
        readable = "_" + readable
    import hashlib

    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{readable}-{digest[:_HASH_LENGTH]}"


def legacy_path(folder: Path, text: str, suffix: str = "") -> Path | None:
    """Where earlier versions kept the file (or folder) of `text` in `folder`; None when
    that name was never one of its own ("..": the folder's parent)."""
    name = legacy_safe_name(text) + suffix
    if name in ("", ".", "..") or os.sep in name or (os.altsep and os.altsep in name):
        return None
    return folder / name


def adopt_legacy(
    folder: Path, text: str, suffix: str = "", *, belongs: Callable[[Path], bool]
) -> Path:
    """The path of `text`'s file in `folder`. A file an earlier version kept under the old
    name is renamed to it first, when the new one is not there yet and `belongs` says the
    old one is surely `text`'s (the old name may have been shared by several accounts)."""
    new = folder / (safe_name(text) + suffix)
    old = legacy_path(folder, text, suffix)
    if old is None or os.path.lexists(new) or not os.path.lexists(old) or not belongs(old):
        return new
    try:
        os.rename(old, new)
    except FileNotFoundError:
        pass  # another run of the same account moved it first
    except OSError as exc:
        raise EnvironmentProblem(f"Cannot rename {old} to {new.name}: {exc.strerror}.") from exc
    return new


def _make_dirs(path: Path) -> None:
    """Create `path` and its missing parents, each 0700; a folder that already exists is
    left as it is (it may be the member's own, such as where a report goes)."""
    missing = []
    here = path
    while not os.path.lexists(here) and here != here.parent:
        missing.append(here)
        here = here.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            continue  # another run made it just now
        # mkdir's mode is filtered by the umask.
        os.chmod(folder, 0o700)


def ensure_private_dir(path: Path) -> Path:
    """Create `path` (and parents) and make sure only the owner can enter it: for
    optout's own folders only."""
    try:
        _make_dirs(path)
        os.chmod(path, 0o700)  # also an existing one: it holds secrets
    except OSError as exc:
        raise EnvironmentProblem(f"Cannot create the directory {path}: {exc.strerror}.") from exc
    return path


def write_private_file(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write `data` to `path` with mode 0600; readers never see a half-written file, and
    a write that fails (a full disk) leaves the file as it was. `durable=False` for a
    file that may be lost in a power cut (it skips the wait for the disk)."""
    try:
        _make_dirs(path.parent)
        import tempfile

        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            # mkstemp already creates the file 0600; keep it so on every platform.
            os.chmod(tmp_name, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                if durable:
                    os.fsync(handle.fileno())
            os.replace(tmp_name, path)
        except BaseException:
            with suppress(OSError):
                os.unlink(tmp_name)
            raise
    except OSError as exc:
        raise EnvironmentProblem(f"Cannot write {path}: {describe_os_error(exc)}.") from exc


def describe_os_error(exc: OSError) -> str:
    """The OS's reason, and for a full disk what to do about it."""
    if exc.errno in _NO_ROOM:
        return (
            f"{exc.strerror} (the disk is full, or a size limit was reached); "
            "free some space and try again"
        )
    return exc.strerror or type(exc).__name__


def read_file(path: Path) -> bytes | None:
    """The file's bytes, or None when it does not exist."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise EnvironmentProblem(f"Cannot read {path}: {exc.strerror}.") from exc


def remove_file(path: Path) -> bool:
    """Remove `path`; True when there was something to remove."""
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise EnvironmentProblem(f"Cannot remove {path}: {exc.strerror}.") from exc
    return True


class DamagedDatabase(EnvironmentProblem):
    """SQLite finds the file is no database, or a malformed one."""


class Rescued(EnvironmentProblem):
    """A damaged database was set aside and a new one started; `value` is what the call
    that found it returned once it could be made again."""

    def __init__(self, message: str, value: object) -> None:
        super().__init__(message)
        self.value = value


class Rescuer(Protocol):
    untold: list[str]  # rescues the member has not been told of yet

    def rescue(self, why: str) -> str | None:
        """Start anew from what can be read; what to tell, or None if another run did."""


def rescuing(
    *, tell: bool
) -> Callable[[Callable[Concatenate[R, P], T]], Callable[Concatenate[R, P], T]]:
    """For a call that may find its database damaged: rescue it and make the call again.
    With `tell`, the call then tells the member of every rescue not told yet (Rescued,
    an environment problem: exit 6); without, a later call does (one whose caller
    would not pass the news on, such as a screenshot's)."""

    def wrap(method: Callable[Concatenate[R, P], T]) -> Callable[Concatenate[R, P], T]:
        @functools.wraps(method)
        def call(self: R, /, *args: P.args, **kwargs: P.kwargs) -> T:
            try:
                value = method(self, *args, **kwargs)
            except DamagedDatabase as exc:
                told = self.rescue(exc.message)
                value = method(self, *args, **kwargs)
                if told is not None:  # None: another run found it first, and says so
                    self.untold.append(told)
            if tell and self.untold:
                news = " ".join(self.untold)
                self.untold.clear()
                raise Rescued(news, value)
            return value

        return call

    return wrap


# A SQLite file's journal and shared-memory index belong with it wherever it goes.
SQLITE_COMPANIONS = ("", "-wal", "-shm")


def set_aside(path: Path, companions: Iterable[str] = ("",)) -> Path:
    """Rename a damaged file (and its companions, same name plus an ending) out of the
    way under a name not taken yet, never deleting it; its new path."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    number = 1
    while any(os.path.lexists(f"{aside}{ending}") for ending in companions):
        number += 1
        aside = path.with_name(f"{path.name}.damaged-{stamp}-{number}")
    try:
        for ending in companions:
            with suppress(FileNotFoundError):
                os.replace(f"{path}{ending}", f"{aside}{ending}")
    except OSError as exc:
        raise EnvironmentProblem(f"Cannot set {path} aside: {exc.strerror}.") from exc
    return aside
