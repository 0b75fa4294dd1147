"""A Redis of the server's own, for rate-limit counters that every worker shares.

``graphcoord serve --workers N`` needs one place where the workers count submissions and
requests (services/ratelimit.py); with ``GRAPHCOORD_RATE_LIMIT_STORAGE`` unset it starts Debian's
``redis-server`` as a child for as long as it serves. The server listens on a Unix socket only
(no TCP port: nothing off the machine reaches it), in a 0700 folder of the state folder, keeps
nothing on disk (the counters are worth one hour at most) and caps its memory, evicting the
oldest counters first. It is stopped with the server; if the server is killed, Linux stops it
too (``PR_SET_PDEATHSIG``).
"""

from __future__ import annotations

import ctypes
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from types import TracebackType

from graphcoord.config import secure_state_dir
from graphcoord.errors import GraphcoordError

__all__ = ["LocalRedis", "RedisUnavailable"]

#: The longest path a Unix socket may have on Linux (``sun_path``, 108 bytes with its NUL).
_MAX_SOCKET_PATH = 100
_PR_SET_PDEATHSIG = 1


class RedisUnavailable(GraphcoordError):
    """No shared rate-limit storage could be started."""

    code = "REDIS_UNAVAILABLE"
    exit_code = 69  # EX_UNAVAILABLE


def _die_with_parent() -> None:  # pragma: no cover - runs in the child, between fork and exec
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


class LocalRedis:
    """``redis-server`` on a Unix socket under ``state_dir``, as a context manager.

    Parameters
    ----------
    state_dir
        The state folder; the socket and log go to its ``redis/`` folder (or, when that path is
        too long for a socket, to a private temporary folder).
    max_memory
        Redis's ``maxmemory``: the counters of a city take a few megabytes.
    """

    def __init__(self, state_dir: Path, max_memory: str = "64mb") -> None:
        self.folder = state_dir / "redis"
        self.max_memory = max_memory
        self.process: subprocess.Popen[bytes] | None = None
        self._temporary: tempfile.TemporaryDirectory[str] | None = None
        self.socket = self.folder / "redis.sock"

    @property
    def uri(self) -> str:
        """The storage URI for ``GRAPHCOORD_RATE_LIMIT_STORAGE``."""
        return f"redis+unix://{self.socket}"

    def start(self, timeout: float = 10.0) -> str:
        """Start the server and wait until its socket accepts; returns :attr:`uri`."""
        executable = shutil.which("redis-server")
        if executable is None:
            raise RedisUnavailable(
                "several workers share their rate limits through Redis: "
                "apt-get install redis-server, or name one in GRAPHCOORD_RATE_LIMIT_STORAGE"
            )
        secure_state_dir(self.folder)
        if len(str(self.socket)) > _MAX_SOCKET_PATH:
            self._temporary = tempfile.TemporaryDirectory(prefix="graphcoord-redis-")
            self.socket = Path(self._temporary.name) / "redis.sock"  # mkdtemp: mode 0700
        self.socket.unlink(missing_ok=True)
        log = self.folder / "redis.log"
        options = {
            "port": "0",  # no TCP: the socket only
            "unixsocket": str(self.socket),
            "unixsocketperm": "700",
            "save": "",  # nothing on disk
            "appendonly": "no",
            "maxmemory": self.max_memory,
            "maxmemory-policy": "volatile-ttl",  # every counter has a TTL: shortest goes first
            "daemonize": "no",
            "logfile": str(log),
            "dir": str(self.folder),
        }
        command = [
            executable,
            *(part for name, value in options.items() for part in (f"--{name}", value)),
        ]
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            # preexec_fn may deadlock a process that runs threads: only a single-threaded
            # caller (``serve`` before uvicorn starts) asks Linux to stop Redis with it.
            preexec_fn=_die_with_parent if threading.active_count() == 1 else None,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                tail = log.read_text(errors="replace").splitlines()[-5:] if log.exists() else []
                self.process = None
                raise RedisUnavailable("redis-server exited while starting: " + " / ".join(tail))
            if self._answers():
                return self.uri
            time.sleep(0.05)
        self.stop()
        raise RedisUnavailable(f"redis-server did not answer on {self.socket} within {timeout} s")

    def _answers(self) -> bool:
        import redis

        try:
            with redis.Redis(unix_socket_path=str(self.socket), socket_timeout=1) as client:
                return bool(client.ping())
        except (redis.RedisError, OSError):
            return False

    def stop(self) -> None:
        """Stop the server (its counters go with it) and remove its socket."""
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:  # pragma: no cover - redis stops in milliseconds
                self.process.kill()
                self.process.wait()
            self.process = None
        self.socket.unlink(missing_ok=True)
        if self._temporary is not None:
            self._temporary.cleanup()
            self._temporary = None

    def __enter__(self) -> LocalRedis:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
