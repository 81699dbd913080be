"""Fair use of the query workers: each client gets a share of query time, and slow queries never take
every worker.

Three clients looping a slow query used to hold all three workers, so every other query waited out its
limit. Three rules now, the first after the Wikidata Query Service's:

* **A budget of query time per client** (`SPARQL_CLIENT_QUERY_TIME` seconds in any minute; WDQS gives
  60 s a minute). A client past it gets 429 with `Retry-After`, the seconds until enough of its
  time has left the window. At most `SPARQL_CLIENT_CONCURRENCY` of a client's queries run at once.
* **A slow lane.** A client one of whose queries ran `SLOW_QUERY` seconds or more in the last minute is
  "heavy" (many cheap queries do not make a client heavy; one slow query does): its queries take a
  worker only while another stays free (`QueryPool.run(slow_lane=True)`), so a light client's query
  always finds one; a heavy one waits at most a second for a worker.
* **Room for pages.** Each query holds one of the web server's threads while it runs or waits, so at most
  `SPARQL_QUERIES_IN_FLIGHT` queries run or wait at once (503 with Retry-After past it), and heavy clients'
  queries take at most half of those places: many clients looping slow queries cannot take every thread.

Clients are told apart by `request.remote_addr` (behind a proxy, let werkzeug's ProxyFix set it).
"""
from __future__ import annotations

import math
import threading
import time
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator

from r2pkg.graph.sparql import SparqlError

WINDOW = 60.0          # seconds over which a client's query time is counted
SLOW_QUERY = 1.0       # a query that ran this long puts its client's queries in the slow lane for a minute
MAX_CLIENTS = 100_000  # clients remembered at once; the idle ones are forgotten first


class TooManyQueries(SparqlError):
    """The client used its share of query time (or runs too many queries at once)."""

    status = 429

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class ServerBusy(SparqlError):
    """As many queries as the server lets run or wait at once are running or waiting: each holds one of
    the web server's threads, and pages must keep some."""

    status = 503
    retry_after = 1


@dataclass
class _Client:
    spent: deque = field(default_factory=deque)    # (when it ended, seconds used)
    running: int = 0
    heavy: list = field(default_factory=list)      # of its running queries, which are in the slow lane

    def used(self, now: float) -> float:
        while self.spent and self.spent[0][0] <= now - WINDOW:
            self.spent.popleft()
        return sum(seconds for _, seconds in self.spent)


@dataclass
class Ticket:
    slow_lane: bool
    ran: float = 0.0


class QueryBudget:
    """Per-client query time and concurrency; one per app, shared by its threads."""

    def __init__(self, *, seconds_per_minute: float, concurrency: int, in_flight: int):
        self.seconds_per_minute = float(seconds_per_minute)
        self.concurrency = max(1, int(concurrency))
        self.in_flight = max(1, int(in_flight))
        self._running = 0
        self._heavy = 0
        self._clients: dict[str, _Client] = {}
        self._lock = threading.Lock()

    @contextmanager
    def query(self, client: str) -> Iterator[Ticket]:
        """Admit one query of `client` (or raise TooManyQueries); the ticket says whether it belongs in
        the slow lane, and the seconds it ran (not those it waited for a worker) are charged to the client."""
        ticket = Ticket(slow_lane=self._admit(client))
        try:
            yield ticket
        except SparqlError as exc:
            ticket.ran = exc.ran
            raise
        finally:
            self._charge(client, ticket.ran)

    def _admit(self, client: str) -> bool:
        now = time.monotonic()
        with self._lock:
            state = self._clients.get(client)
            if state is None:
                self._forget_idle(now)
                state = self._clients[client] = _Client()
            used = state.used(now)
            if used >= self.seconds_per_minute:
                raise TooManyQueries(
                    f"too many queries: this client used {used:.0f} s of query time in the last minute, the share "
                    f"of one client is {self.seconds_per_minute:g} s a minute", self._retry_after(state, now))
            if state.running >= self.concurrency:
                raise TooManyQueries(f"too many queries at once: at most {self.concurrency} of a client's queries "
                                     "run at the same time", 1)
            heavy = any(seconds >= SLOW_QUERY for _, seconds in state.spent)
            if self._running >= self.in_flight or (heavy and self._heavy >= self.in_flight // 2):
                raise ServerBusy(f"the server is busy: {self.in_flight} queries are running or waiting for a worker; "
                                 "try again in a moment")
            state.running += 1
            self._running += 1
            self._heavy += heavy
            state.heavy.append(heavy)
            return heavy

    def _charge(self, client: str, seconds: float) -> None:
        with self._lock:
            state = self._clients.setdefault(client, _Client())
            state.running = max(0, state.running - 1)
            self._running = max(0, self._running - 1)
            if state.heavy and state.heavy.pop():
                self._heavy = max(0, self._heavy - 1)
            state.spent.append((time.monotonic(), seconds))

    def _retry_after(self, state: _Client, now: float) -> int:
        """Whole seconds until the client's time in the window falls below its share."""
        excess = state.used(now) - self.seconds_per_minute
        for ended, seconds in state.spent:
            excess -= seconds
            if excess < 0:
                return max(1, math.ceil(ended + WINDOW - now))
        return 1

    def _forget_idle(self, now: float) -> None:
        if len(self._clients) < MAX_CLIENTS:
            return
        for key in [k for k, c in self._clients.items() if not c.running and not c.used(now)]:
            del self._clients[key]
