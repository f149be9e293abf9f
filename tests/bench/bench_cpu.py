"""The benchmark's CPU figure: the CPU seconds of a run's whole process tree (Python,
Playwright's driver, the browser and its renderers), from a control group's own
accounting.

On a shared machine a run's time moves by about 0.1 s from one run to the next; its
CPU seconds move far less, so they show a small change that time hides. The kernel
counts them for a control group the benchmark makes: cgroup v1's `cpuacct`, else
cgroup v2 under the benchmark's own group. Making one needs the right to (root, or a
delegated group); where there is none, the figure is left out.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

_V1 = Path("/sys/fs/cgroup/cpuacct")
_V2_MOUNTS = (Path("/sys/fs/cgroup"), Path("/sys/fs/cgroup/unified"))


def _v2_home() -> Path | None:
    """The benchmark's own cgroup v2 group, where one is mounted."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    own = next((line[3:] for line in lines if line.startswith("0::")), None)
    for mount in _V2_MOUNTS:
        if own is not None and (mount / "cgroup.controllers").is_file():
            return mount / own.lstrip("/")
    return None


class CpuCounter:
    """One control group, reused run after run: each run's process is moved into it as
    it starts (before it can start anything of its own), and its CPU seconds read once
    it has ended."""

    def __init__(self) -> None:
        self.path: Path | None = None
        self._v1 = False
        self._before = 0
        name = f"optout-bench-{os.getpid()}"
        v2_home = _v2_home()
        for parent, v1 in ((_V1, True), (v2_home, False)):
            if parent is None:
                continue
            with contextlib.suppress(OSError):
                (parent / name).mkdir()
                self.path, self._v1 = parent / name, v1
                return

    def _usage_us(self) -> int:
        if self.path is None:
            raise OSError("no control group")
        if self._v1:
            return int((self.path / "cpuacct.usage").read_text()) // 1000
        stat = (self.path / "cpu.stat").read_text().split()
        return int(stat[stat.index("usage_usec") + 1])

    def start(self, pid: int) -> bool:
        """Count `pid` from now on, and what it starts; False if it cannot be."""
        if self.path is None:
            return False
        try:
            self._before = self._usage_us()
            (self.path / "cgroup.procs").write_text(str(pid))
        except (OSError, ValueError):
            return False
        return True

    def seconds(self) -> float | None:
        """The CPU seconds counted since `start`."""
        try:
            return (self._usage_us() - self._before) / 1e6
        except (OSError, ValueError):
            return None

    def close(self) -> None:
        if self.path is not None:
            with contextlib.suppress(OSError):
                self.path.rmdir()
