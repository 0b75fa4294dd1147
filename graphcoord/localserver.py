"""The local Neo4j Community server that graphcoord builds and runs by itself.

The launcher in ``neo4j-server/`` (Maven, ``org.neo4j:neo4j`` embedded with Bolt) is built
on first use, then started as a background JVM whose pid, log and data live in the state
folder. Only loopback addresses are used. With ``NEO4J_URI`` set, none of this runs.

The JVM gets an environment of its own (:func:`jvm_environment`): the few variables Java needs
from the caller's and the password, never the rest (the JWT secret, another server's
``NEO4J_*``, ``JAVA_TOOL_OPTIONS``, …).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from graphcoord.config import Settings, secure_state_dir
from graphcoord.errors import DatabaseUnavailable, GraphcoordError

__all__ = [
    "ADMIN_TOOL_CLASS",
    "JVM_ENV_NAMES",
    "JVM_FLAGS",
    "PASSWORD_ENV",
    "AdminImportFailed",
    "LauncherError",
    "LocalNeo4j",
    "ServerStatus",
    "build_environment",
    "jvm_environment",
]

#: Flags Neo4j 5 needs on Java 17 (the same as its own ``server.jvm.additional`` defaults).
JVM_FLAGS: tuple[str, ...] = (
    "-XX:+UseG1GC",
    "-XX:+ExitOnOutOfMemoryError",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
    "--add-opens=java.base/java.net=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
)

MAIN_CLASS = "graphcoord.server.Main"
#: ``neo4j-admin`` itself: ``org.neo4j:neo4j`` brings it (and its import tool) to the classpath.
ADMIN_TOOL_CLASS = "org.neo4j.cli.AdminTool"
#: What the import tool may use outside its heap (its default is 90 % of the machine's RAM).
ADMIN_IMPORT_OFF_HEAP = "2g"

#: The variable the launcher (``Main.java``) reads the ``neo4j`` user's password from.
PASSWORD_ENV = "GRAPHCOORD_NEO4J_PASSWORD"
#: What the JVM may take from the caller's environment (and ``LC_*``); nothing else passes.
JVM_ENV_NAMES = frozenset({"PATH", "JAVA_HOME", "HOME", "LANG", "TMPDIR"})
#: graphcoord's own variables: the Maven build, which needs much of the caller's environment
#: (proxies, ``MAVEN_OPTS``), gets none of them.
_GRAPHCOORD_PREFIXES = ("NEO4J_", "GRAPHCOORD_")


def jvm_environment(password: str, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The whole environment of the server's JVM: an allow-list of ``environ``'s variables
    (default: ``os.environ``) and the password under :data:`PASSWORD_ENV`.
    """
    env = _java_environment(environ)
    env[PASSWORD_ENV] = password
    return env


def _java_environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The variables of ``environ`` (default: ``os.environ``) that a JVM may see."""
    environ = os.environ if environ is None else environ
    return {
        name: value
        for name, value in environ.items()
        if name in JVM_ENV_NAMES or name.startswith("LC_")
    }


def build_environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of the Maven build: ``environ`` without graphcoord's variables."""
    environ = os.environ if environ is None else environ
    return {k: v for k, v in environ.items() if not k.startswith(_GRAPHCOORD_PREFIXES)}


# Servers started by this process, kept so that they are reaped when stopped (no zombies,
# no ResourceWarning from a Popen collected while its child still runs).
_CHILDREN: dict[int, subprocess.Popen[bytes]] = {}


class LauncherError(GraphcoordError):
    """The launcher could not be built or the server did not come up."""

    code = "UNAVAILABLE"
    exit_code = 69


class AdminImportFailed(GraphcoordError):
    """``neo4j-admin database import full`` did not finish (its log says why)."""

    code = "INTERNAL"
    exit_code = 70  # EX_SOFTWARE


@dataclass(frozen=True)
class ServerStatus:
    running: bool
    pid: int | None
    uri: str
    agent: str | None = None
    nodes: int | None = None
    detail: str = ""


class LocalNeo4j:
    """Build, start, stop and inspect the local Neo4j of one state folder."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.state = settings.state_dir
        self.home = self.state / "neo4j"
        self.pid_file = self.state / "neo4j.pid"
        self.log_file = self.state / "neo4j.log"
        self.conf_file = self.state / "neo4j.conf"
        self.import_dir = self.state / "import"
        self.launcher = settings.launcher_dir
        self.target = self.launcher / "target"

    # -- build ---------------------------------------------------------------------------
    def is_built(self) -> bool:
        main_class = self.target / "classes" / "graphcoord" / "server" / "Main.class"
        lib = self.target / "lib"
        if not main_class.exists() or not lib.is_dir() or not any(lib.glob("neo4j-5*.jar")):
            return False
        sources = [self.launcher / "pom.xml", *self.launcher.glob("src/**/*.java")]
        built_at = main_class.stat().st_mtime
        return all(source.stat().st_mtime <= built_at for source in sources)

    def build(self) -> float:
        """Build the launcher with Maven (offline first, then online); return the seconds."""
        if shutil.which("mvn") is None:
            raise LauncherError(
                "Maven (mvn) is needed to build the Neo4j launcher: apt-get install maven"
            )
        started = time.monotonic()
        command = ["mvn", "-q", "-B", "package", "-DskipTests"]
        env = build_environment()
        offline = subprocess.run(
            [*command[:3], "-o", *command[3:]],
            cwd=self.launcher,
            env=env,
            capture_output=True,
            text=True,
        )
        if offline.returncode != 0:
            online = subprocess.run(
                command, cwd=self.launcher, env=env, capture_output=True, text=True
            )
            if online.returncode != 0:
                tail = "\n".join((online.stdout + online.stderr).splitlines()[-30:])
                raise LauncherError(f"building the Neo4j launcher failed:\n{tail}")
        return time.monotonic() - started

    def classpath(self) -> str:
        """The launcher's classpath: its classes and every jar Maven copied beside them."""
        return f"{self.target / 'classes'}{os.pathsep}{self.target / 'lib'}/*"

    # -- process -------------------------------------------------------------------------
    def pid(self) -> int | None:
        """The pid of the running server of this state folder, or ``None``: a pid file whose
        process is gone, or is another program (the pid was reused), names no server."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        if not _alive(pid) or not self._is_ours(pid):
            return None
        return pid

    def _is_ours(self, pid: int) -> bool:
        """Whether ``pid`` runs the launcher with this state folder's configuration."""
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:  # no /proc (not Linux): trust the pid file as before
            return not Path("/proc").is_dir()
        return MAIN_CLASS.encode() in command and str(self.conf_file).encode() in command

    def write_conf(self) -> None:
        self.import_dir.mkdir(parents=True, exist_ok=True)
        lines = [
            f"server.default_listen_address={self.settings.bolt_host}",
            "server.bolt.enabled=true",
            f"server.bolt.listen_address={self.settings.bolt_host}:{self.settings.bolt_port}",
            # What the routing table tells neo4j:// clients (a standalone server is its own
            # router): the address it listens on, not the default port.
            f"server.bolt.advertised_address={self.settings.bolt_host}:{self.settings.bolt_port}",
            "server.http.enabled=false",
            "server.https.enabled=false",
            f"server.memory.pagecache.size={self.settings.neo4j_pagecache}",
            f"server.directories.import={self.import_dir}",
            "db.tx_log.rotation.retention_policy=2 files",
            "dbms.security.auth_minimum_password_length=8",
        ]
        self.conf_file.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def start(self, timeout: float | None = None) -> float:
        """Start the server if it is not running and wait until Bolt answers.

        Returns the seconds it took (0 when it was already running).
        """
        if not self.settings.is_local:
            raise LauncherError("NEO4J_URI is set: graphcoord uses that server and starts none")
        if self.pid() is not None:
            return 0.0
        if shutil.which("java") is None:
            raise LauncherError(
                "Java 17 is needed to run Neo4j: apt-get install openjdk-17-jre-headless"
            )
        if not self.is_built():
            self.build()
        secure_state_dir(self.state)  # 0700: the store, the password and the secret live here
        self.write_conf()
        password = self.settings.password
        command = [
            "java",
            f"-Xmx{self.settings.neo4j_heap}",
            f"-Xms{self.settings.neo4j_heap}",
            *JVM_FLAGS,
            "-cp",
            self.classpath(),
            MAIN_CLASS,
            str(self.home),
            str(self.conf_file),
        ]
        env = jvm_environment(password)
        started = time.monotonic()
        with self.log_file.open("ab") as log:
            process = subprocess.Popen(
                command,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
                start_new_session=True,
            )
        _CHILDREN[process.pid] = process
        self.pid_file.write_text(f"{process.pid}\n")
        deadline = started + (timeout or self.settings.start_timeout)
        while time.monotonic() < deadline:
            if process.poll() is not None:
                _CHILDREN.pop(process.pid, None)
                self.pid_file.unlink(missing_ok=True)
                raise LauncherError(
                    f"Neo4j exited with code {process.returncode} while starting; "
                    f"last lines of {self.log_file}:\n{self.log_tail()}"
                )
            if self._bolt_answers():
                return time.monotonic() - started
            time.sleep(0.5)
        self.stop()
        raise LauncherError(
            f"Neo4j did not answer on {self.settings.uri} within "
            f"{timeout or self.settings.start_timeout:.0f} s; last lines of {self.log_file}:\n"
            f"{self.log_tail()}"
        )

    def stop(self, timeout: float = 60.0) -> bool:
        """Stop the server of this state folder; return whether one was running."""
        pid = self.pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.2)
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)
            while _alive(pid):
                time.sleep(0.1)
        child = _CHILDREN.pop(pid, None)
        if child is not None:
            child.wait()
        self.pid_file.unlink(missing_ok=True)
        return True

    # -- the store, with the server stopped ----------------------------------------------
    def admin_import(
        self,
        nodes: Sequence[tuple[str, Path]],
        relationships: Sequence[tuple[str, Path]],
        *,
        work: Path,
        array_delimiter: str,
        multiline: bool = False,
    ) -> float:
        """Replace the database's store by the one ``neo4j-admin database import full`` builds
        from ``nodes`` and ``relationships`` (``(label or type, CSV file)``); the seconds.

        The server must be stopped. The tool runs in a JVM of the launcher's classpath, its
        output and report in ``work``; if it fails, :class:`AdminImportFailed` says why (the
        store is then in an unknown state: :meth:`drop_store` empties it).
        """
        if self.pid() is not None:
            raise LauncherError("the server is running: stop it before an import into its store")
        if shutil.which("java") is None:
            raise LauncherError(
                "Java 17 is needed to run Neo4j: apt-get install openjdk-17-jre-headless"
            )
        if not self.is_built():
            self.build()
        secure_state_dir(self.state)
        self.write_conf()
        log = work / "neo4j-admin-import.log"
        command = [
            "java",
            f"-Xmx{self.settings.neo4j_heap}",
            *JVM_FLAGS,
            "-cp",
            self.classpath(),
            ADMIN_TOOL_CLASS,
            "database",
            "import",
            "full",
            *(f"--nodes={label}={path}" for label, path in nodes),
            *(f"--relationships={kind}={path}" for kind, path in relationships),
            f"--array-delimiter=U+{ord(array_delimiter):04X}",
            f"--multiline-fields={'true' if multiline else 'false'}",
            "--skip-duplicate-nodes=false",
            "--skip-bad-relationships=false",
            f"--max-off-heap-memory={ADMIN_IMPORT_OFF_HEAP}",
            "--overwrite-destination=true",
            f"--report-file={work / 'neo4j-admin-import.report'}",
            self.settings.neo4j_database,
        ]
        # The tool reads the server's configuration from $NEO4J_CONF/neo4j.conf and keeps
        # the store under $NEO4J_HOME/data, as the launcher does; it needs no password.
        env = _java_environment() | {"NEO4J_HOME": str(self.home), "NEO4J_CONF": str(self.state)}
        started = time.monotonic()
        with log.open("ab") as out:
            process = subprocess.Popen(
                command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env
            )
            try:
                status = process.wait()
            except BaseException:
                process.kill()
                process.wait()
                raise
        if status != 0:
            tail = "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-20:])
            raise AdminImportFailed(
                f"neo4j-admin database import full exited with {status}; last lines of {log}:"
                f"\n{tail}"
            )
        return time.monotonic() - started

    def drop_store(self) -> None:
        """Delete the database's store and transaction logs (the server must be stopped): the
        next start creates it again, empty, as on the first start."""
        if self.pid() is not None:
            raise LauncherError("the server is running: stop it before dropping its store")
        data = self.home / "data"
        for folder in ("databases", "transactions"):
            shutil.rmtree(data / folder / self.settings.neo4j_database, ignore_errors=True)

    def status(self) -> ServerStatus:
        from graphcoord.db import Database

        pid = self.pid()
        uri = self.settings.uri
        if pid is None:
            return ServerStatus(False, None, uri, detail="no server process for this state folder")
        database = Database(self.settings)
        try:
            info = database.server_info()
        except DatabaseUnavailable as error:
            return ServerStatus(
                True, pid, uri, detail=f"process running, Bolt not answering: {error}"
            )
        finally:
            database.close()
        return ServerStatus(True, pid, uri, agent=info["agent"], nodes=info["nodes"])

    def log_tail(self, lines: int = 25) -> str:
        try:
            text = self.log_file.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def _bolt_answers(self) -> bool:
        from neo4j import GraphDatabase
        from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable

        try:
            with GraphDatabase.driver(
                self.settings.uri,
                auth=(self.settings.neo4j_username, self.settings.password),
                connection_timeout=2.0,
            ) as driver:
                driver.verify_connectivity()
                driver.execute_query("RETURN 1", database_=self.settings.neo4j_database)
            return True
        except (ServiceUnavailable, OSError, AuthError, Neo4jError):
            # AuthError too: on a restart with a new password, Bolt opens before it is set.
            return False


def _alive(pid: int) -> bool:
    child = _CHILDREN.get(pid)
    if child is not None:
        return child.poll() is None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie still answers kill(0); /proc tells whether it is really running.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, IndexError):
        return True
