"""Private files: directories 0700, files 0600, written atomically."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path

from optout.errors import EnvironmentProblem


def safe_name(text: str) -> str:
    """`text` (an account's email) as a file name on every OS."""
    return re.sub(r"[^a-z0-9@._-]", "_", text.lower())


def ensure_private_dir(path: Path) -> Path:
    """Create `path` (and parents) and make sure only the owner can enter it."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        # mkdir's mode is filtered by the umask and ignored for existing dirs.
        os.chmod(path, 0o700)
    except OSError as exc:
        raise EnvironmentProblem(f"Cannot create the directory {path}: {exc.strerror}.") from exc
    return path


def write_private_file(path: Path, data: bytes) -> None:
    """Write `data` to `path` with mode 0600; readers never see a half-written file."""
    ensure_private_dir(path.parent)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            # mkstemp already creates the file 0600; keep it so on every platform.
            os.chmod(tmp_name, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp_name, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
            raise
    except OSError as exc:
        raise EnvironmentProblem(f"Cannot write {path}: {exc.strerror}.") from exc


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
