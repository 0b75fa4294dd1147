"""The Neo4j driver's lifecycle and the one function every query goes through.

:class:`Database` opens the driver lazily, runs each statement with ``execute_query`` and
``database_`` set, turns connection failures into :class:`DatabaseUnavailable` (a 503 on HTTP,
``UNAVAILABLE`` in GraphQL) and counts round trips so tests can prove the absence of N+1.
The driver reconnects by itself when the server comes back, so recovery needs no restart.

Every session of the process -- ``execute_query``'s, the streamed bulk reads', the auto-commit
ones -- shares the driver's bookmark manager (:meth:`Database.session`): behind a ``neo4j://``
routing URI (a cluster, Aura) a read is never served by a member that has not yet applied a
write this process made.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, LiteralString

import neo4j
from neo4j import READ_ACCESS, WRITE_ACCESS, Driver, GraphDatabase, RoutingControl
from neo4j.exceptions import AuthError, ServiceUnavailable, SessionExpired

from graphcoord.config import Settings
from graphcoord.errors import DatabaseAuthError, DatabaseUnavailable

__all__ = ["Database", "Record"]

Record = neo4j.Record

# Fail fast when the server is down: the driver's default retries for 30 s.
_DRIVER_OPTIONS: dict[str, Any] = {
    "connection_timeout": 3.0,
    "connection_acquisition_timeout": 5.0,
    "max_transaction_retry_time": 2.0,
    "max_connection_lifetime": 300,
    # Hints such as "this label is not in the database yet" are noise on an empty graph.
    "notifications_min_severity": "OFF",
}


class Database:
    """A graphcoord connection to one Neo4j database."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._driver: Driver | None = None
        self._lock = threading.Lock()
        self.round_trips = 0

    @property
    def uri(self) -> str:
        return self.settings.uri

    @property
    def driver(self) -> Driver:
        """The driver, created on first use."""
        with self._lock:
            if self._driver is None:
                self._driver = GraphDatabase.driver(
                    self.settings.uri,
                    auth=(self.settings.neo4j_username, self.settings.password),
                    **_DRIVER_OPTIONS,
                )
            return self._driver

    def close(self) -> None:
        with self._lock:
            if self._driver is not None:
                self._driver.close()
                self._driver = None

    @contextmanager
    def _translated(self) -> Iterator[None]:
        """The driver's connection and authentication errors as graphcoord's."""
        try:
            yield
        except AuthError as error:
            raise DatabaseAuthError(self.uri, self.settings.neo4j_username) from error
        except (ServiceUnavailable, SessionExpired, OSError) as error:
            raise DatabaseUnavailable(self.uri, _short(error)) from error

    def execute(
        self,
        query: LiteralString,
        parameters: Mapping[str, Any] | None = None,
        *,
        write: bool = False,
    ) -> list[Record]:
        """Run one parameterised statement and return its records.

        ``query`` is a ``LiteralString``: Cypher is never built from input; values go in
        ``parameters``.
        """
        self.round_trips += 1
        sent = {k: _Sent(v) if isinstance(v, list) else v for k, v in (parameters or {}).items()}
        try:
            with self._translated():
                records, _, _ = self.driver.execute_query(
                    query,
                    parameters_=sent,
                    database_=self.settings.neo4j_database,
                    routing_=RoutingControl.WRITE if write else RoutingControl.READ,
                )
        finally:
            # The driver's Result keeps the parameters in a reference cycle (it and its error
            # handler) that only the cyclic collector frees: an import batch's rows would
            # outlive their write by many batches. Emptied, the cycle holds nothing big.
            for value in sent.values():
                if isinstance(value, list):
                    value.clear()
        return records

    def write(
        self, query: LiteralString, parameters: Mapping[str, Any] | None = None
    ) -> list[Record]:
        """:meth:`execute` routed to the writer."""
        return self.execute(query, parameters, write=True)

    def session(self, *, write: bool = False, **options: Any) -> neo4j.Session:
        """A session of this database that takes part in the process's causal chain: it
        shares the bookmark manager of ``execute_query``, so it reads what this process wrote."""
        return self.driver.session(
            database=self.settings.neo4j_database,
            default_access_mode=WRITE_ACCESS if write else READ_ACCESS,
            bookmark_manager=self.driver.execute_query_bookmark_manager,
            **options,
        )

    def run_autocommit(
        self,
        query: LiteralString,
        parameters: Mapping[str, Any] | None = None,
        *,
        write: bool = True,
    ) -> list[dict[str, Any]]:
        """Run a statement in an auto-commit transaction: needed by ``CALL … IN TRANSACTIONS``,
        and one round trip where :meth:`execute`'s managed transaction takes two (a read that
        every request makes, such as the change feed's)."""
        self.round_trips += 1
        with self._translated(), self.session(write=write) as s:
            return s.run(query, dict(parameters or {})).data()

    def bookmark(self) -> frozenset[str]:
        """The bookmark of the latest transaction committed on the database, as a read sees it:
        it changes when (and only when) something commits. One round trip."""
        self.round_trips += 1
        with self._translated(), self.driver.session(database=self.settings.neo4j_database) as s:
            s.run("RETURN 1").consume()
            return frozenset(s.last_bookmarks().raw_values)

    def server_info(self) -> dict[str, Any]:
        """Address, agent (version) and node count, or :class:`DatabaseUnavailable`."""
        records = self.execute("MATCH (n) RETURN count(n) AS nodes")
        with self._translated():
            info = self.driver.get_server_info()
        return {
            "uri": self.uri,
            "database": self.settings.neo4j_database,
            "agent": info.agent,
            "nodes": records[0]["nodes"],
        }


class _Sent(list[Any]):
    """A list parameter as the driver gets it: a copy, emptied once the query is done, whose
    ``repr`` is short.

    The driver formats every query's parameters for its debug log even when that log is off
    (``" ".join(map(repr, fields))`` in ``Bolt5x5.run``): 6.5 ms for an import batch of 5,000
    contacts. A short ``repr`` also keeps rows (phone numbers) out of that log when it is on.
    """

    def __repr__(self) -> str:
        return f"<list of {len(self)}>"


def _short(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__
