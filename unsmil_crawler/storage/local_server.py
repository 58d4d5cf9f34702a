"""Start, stop and run in the foreground the local SecantusDB server (the zero-setup MongoDB).

SecantusDB is GPL-2.0, so it is only ever run as a separate process (its ``secantusd-py``
daemon) and spoken to over the MongoDB wire protocol, exactly like a ``mongod``. Nothing
here imports it.

A running server announces itself in ``<data_dir>/server.json`` (host, port, pid) so that
a crawl reuses the server a dashboard user started with the CLI ``db`` command instead of
starting a second one on the same files (WiredTiger would refuse the second).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

logger = logging.getLogger(__name__)

STARTUP_TIMEOUT = 30.0
# SecantusDB 0.7.0b3 misses about one SIGTERM in three: the kernel hands the signal to a
# worker thread while its main thread sleeps in Event.wait, so the Python handler never runs
# (seen with a faulthandler dump). Its handler closes the listening socket first, so while the
# port still accepts, the handler has not run and SIGTERM is sent again; after STOP_GRACE the
# daemon is killed, which WiredTiger's journal survives like any crash
# (tests/test_storage_pipeline.py proves j=True writes do).
STOP_GRACE = 10.0
SERVER_FILE = "server.json"


def free_port(host: str = "127.0.0.1") -> int:
    """Ask the kernel for a free TCP port (bind to port 0), then release it for the server."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    """True when something accepts TCP connections on host:port."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def pid_alive(pid: int) -> bool:
    """True when a process with this pid exists on this host (signal 0 probes, kills nothing)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def daemon_command() -> list[str]:
    """The command that runs the daemon: the venv's ``secantusd-py``, else the one on PATH."""
    beside = Path(sys.executable).with_name("secantusd-py")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("secantusd-py")
    if found:
        return [found]
    raise RuntimeError(
        "No MONGO_URI is set and SecantusDB is not installed: "
        "install the extra (pip install -e '.[secantus]') or set MONGO_URI"
    )


def local_uri(host: str, port: int) -> str:
    """URI for the local server; retryWrites=false because SecantusDB slows down under it.

    >>> local_uri("127.0.0.1", 27017)
    'mongodb://127.0.0.1:27017/?retryWrites=false'
    """
    return f"mongodb://{host}:{port}/?retryWrites=false"


@dataclass
class SecantusServer:
    """One SecantusDB daemon on host:port storing its data under ``storage_path``."""

    storage_path: Path
    host: str = "127.0.0.1"
    port: int = 0
    log_path: Path | None = None
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def uri(self) -> str:
        return local_uri(self.host, self.port)

    def start(self, timeout: float = STARTUP_TIMEOUT) -> SecantusServer:
        """Start the daemon (port chosen once, then kept so a restart reuses it) and wait."""
        if self.process is not None and self.process.poll() is None:
            return self
        if not self.port:
            self.port = free_port(self.host)
        self.storage_path.mkdir(parents=True, exist_ok=True)
        log_path = self.log_path or self.storage_path.parent / f"secantusd-{self.port}.log"
        cmd = [
            *daemon_command(),
            "--host", self.host,
            "--port", str(self.port),
            "--storage-path", str(self.storage_path),
            "--log-level", "WARNING",
        ]
        with open(log_path, "ab") as log:
            # Own session: a Ctrl-C in the crawl's terminal must not kill the database mid-write.
            self.process = subprocess.Popen(
                cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self._wait_ready(timeout, log_path)
        logger.info("SecantusDB started on %s:%s (pid %s)", self.host, self.port, self.process.pid)
        return self

    def _wait_ready(self, timeout: float, log_path: Path) -> None:
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"SecantusDB exited with code {self.process.returncode}; see {log_path}"
                )
            if port_open(self.host, self.port):
                return
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"SecantusDB did not accept connections within {timeout}s")

    def stop(self, timeout: float = STOP_GRACE) -> None:
        """SIGTERM, then SIGKILL after ``timeout``: the data directory stays reusable."""
        proc, self.process = self.process, None
        if proc is not None:
            stop_daemon(proc, self.host, self.port, timeout)

    def kill(self) -> None:
        """SIGKILL, as a crash or OOM would: tests use it to prove j=True writes survive."""
        proc, self.process = self.process, None
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)


def stop_daemon(proc: subprocess.Popen, host: str, port: int, grace: float = STOP_GRACE) -> None:
    """SIGTERM the daemon until its port closes, and SIGKILL it after ``grace`` seconds."""
    deadline = time.monotonic() + grace
    while proc.poll() is None and time.monotonic() < deadline:
        if port_open(host, port, timeout=0.2):
            proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(0.5)
    if proc.poll() is None:
        logger.warning("SecantusDB (pid %s) did not stop within %.0fs of SIGTERM; killing it",
                       proc.pid, grace)
        proc.kill()
        proc.wait(grace)


class _StopRequested(Exception):
    """Raised from the SIGTERM handler so a stop takes the same path as Ctrl-C."""


def read_server_file(data_dir: Path) -> dict[str, object] | None:
    """The server.json of a live server in data_dir, or None when absent, stale or unreadable."""
    try:
        info = json.loads((data_dir / SERVER_FILE).read_text())
        host, port, pid = str(info["host"]), int(info["port"]), int(info["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not pid_alive(pid) or not port_open(host, port):
        return None
    return {"host": host, "port": port, "pid": pid}


def write_server_file(data_dir: Path, host: str, port: int, pid: int) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    tmp = data_dir / f".{SERVER_FILE}.tmp"
    tmp.write_text(json.dumps({"host": host, "port": port, "pid": pid}))
    tmp.replace(data_dir / SERVER_FILE)


def remove_server_file(data_dir: Path, pid: int) -> None:
    """Remove server.json only if it still names ``pid`` (another server may own it now)."""
    info = None
    with contextlib.suppress(OSError, ValueError):
        info = json.loads((data_dir / SERVER_FILE).read_text())
    if isinstance(info, dict) and info.get("pid") == pid:
        with contextlib.suppress(OSError):
            (data_dir / SERVER_FILE).unlink()


def serve_foreground(data_dir: str | Path, host: str = "127.0.0.1", port: int = 27017) -> int:
    """Run the server in the foreground until Ctrl-C / SIGTERM (the CLI ``db`` command).

    Crawls started meanwhile find it through server.json and use it instead of starting
    their own. SIGTERM (``kill``, systemd, ``docker stop``) and Ctrl-C stop the daemon too,
    never leaving it running without its announcement. Returns 0 after such a stop, else
    the daemon's exit code. RuntimeError (one line) when the directory is already served,
    the port is taken, or the daemon is not installed.
    """
    data_dir = Path(data_dir)
    running = read_server_file(data_dir)
    if running is not None:
        raise RuntimeError(
            f"a SecantusDB server already serves {data_dir} on "
            f"{running['host']}:{running['port']} (pid {running['pid']})"
        )
    if port_open(host, port):
        raise RuntimeError(f"port {host}:{port} is already in use; choose another with --port")
    data_dir.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen(
        [*daemon_command(), "--host", host, "--port", str(port),
         "--storage-path", str(data_dir / "db")],
    )

    def stop(_signum: int, _frame: object) -> None:
        raise _StopRequested

    previous = signal.signal(signal.SIGTERM, stop)
    write_server_file(data_dir, host, port, proc.pid)
    logger.info("SecantusDB serving %s at %s", data_dir, local_uri(host, port))
    try:
        return proc.wait()
    except (KeyboardInterrupt, _StopRequested):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        stop_daemon(proc, host, port)
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        remove_server_file(data_dir, proc.pid)
