"""Small helpers shared by the bench/ scripts: ports, subprocesses, /proc readings, percentiles.

Nothing here is imported by the product. Standard library only (no psutil): process
figures come from ``/proc`` (Linux).
"""

from __future__ import annotations

import math
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, timeout: float = 60.0, proc: subprocess.Popen[bytes] | None = None) -> None:
    """Poll ``url`` until it answers 2xx (or raise after ``timeout`` s / when ``proc`` dies)."""
    deadline = time.monotonic() + timeout
    while True:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process {proc.args!r} exited with {proc.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # loopback only
                if 200 <= response.status < 300:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")
        time.sleep(0.1)


def spawn(
    args: Sequence[str], env: Mapping[str, str] | None = None, log_path: Path | None = None, cwd: Path | None = None
) -> subprocess.Popen[bytes]:
    """Start a child process (its own process group, so it can be signalled alone).

    ``cwd`` (default: this checkout) is also where ``python -m bot`` finds the bot, e.g.
    an export of an earlier commit to measure before and after."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    full_env.setdefault("PYTHONPATH", str(cwd or ROOT))
    out = open(log_path, "ab") if log_path else subprocess.DEVNULL  # closed with the process
    return subprocess.Popen(list(args), env=full_env, cwd=str(cwd or ROOT), stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def stop(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM, timeout: float = 20.0) -> tuple[int | None, float]:
    """Signal ``proc`` and wait; returns (exit code, seconds it took). SIGKILL after ``timeout``."""
    if proc.poll() is not None:
        return proc.returncode, 0.0
    start = time.monotonic()
    proc.send_signal(sig)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    return proc.returncode, time.monotonic() - start


def medbot_serve_args(port: int) -> list[str]:
    return [PYTHON, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port)]


@dataclass(frozen=True)
class ProcStats:
    rss_mb: float
    fds: int
    sockets: int
    tcp_established: int
    threads: int


def _socket_inodes(pid: int) -> set[str]:
    inodes: set[str] = set()
    fd_dir = Path(f"/proc/{pid}/fd")
    for fd in fd_dir.iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    return inodes


def _established(pid: int, inodes: set[str]) -> int:
    count = 0
    for name in ("tcp", "tcp6"):
        try:
            lines = Path(f"/proc/{pid}/net/{name}").read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            parts = line.split()
            # st == 01: ESTABLISHED; inode is column 9
            if len(parts) > 9 and parts[3] == "01" and parts[9] in inodes:
                count += 1
    return count


def proc_stats(pid: int) -> ProcStats:
    status = Path(f"/proc/{pid}/status").read_text()
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    rss_kb = int(fields["VmRSS"].split()[0])
    threads = int(fields["Threads"].strip())
    fds = len(os.listdir(f"/proc/{pid}/fd"))
    inodes = _socket_inodes(pid)
    return ProcStats(rss_mb=rss_kb / 1024, fds=fds, sockets=len(inodes), tcp_established=_established(pid, inodes), threads=threads)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid`` so far (all its threads), from /proc/<pid>/stat."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def percentile(sorted_values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile of already sorted values (p in 0..100)."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]
