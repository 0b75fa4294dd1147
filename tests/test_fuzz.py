"""Fuzzing (issue 21, item 10): queries and mutations generated from the schema by
hypothesis-graphql, sent over HTTP to graphcoord under uvicorn on the small city, a bounded
number per role: no HTTP 500 and no ``INTERNAL`` error. Figures: test-artifacts/fuzz/."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, mutations, nodes, queries

from graphcoord.app import create_app
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.schema.schema import schema as graphcoord_schema
from graphcoord.services.dataset import write_dataset
from tests.conftest import bearer
from tests.servers import served
from tests.test_citizen_tracking import citizen_city

# graphql-core drops the coroutines of sibling fields when one field of an object fails
# (strawberry's async resolvers, created but never started): Python warns when they are
# collected. Nothing ran, so nothing is lost; the warning is graphql-core's, not an error here.
#
# Behind a neo4j:// URI the driver's routing pool picks a server with `random.choice` in the
# served app's thread while Hypothesis draws the next document; Hypothesis takes the moved
# global random state for a strategy using `random` (and says so by a deprecation warning
# that the suite turns into an error). No strategy here uses it.
pytestmark = [
    pytest.mark.filterwarnings(
        "ignore:Exception ignored in. <coroutine object GraphQLCoreConverter.from_resolver"
        ":pytest.PytestUnraisableExceptionWarning"
    ),
    pytest.mark.filterwarnings(
        "ignore:Do not use the `random` module inside strategies"
        ":hypothesis.errors.HypothesisDeprecationWarning"
    ),
]

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "fuzz"
#: Examples per role and kind: 5 roles x (100 queries + 50 mutations) + 50 invalid documents.
QUERIES, MUTATIONS, INVALID = 100, 50, 50
ROLES: dict[str, tuple[str, str | None] | None] = {
    "public": None,
    "deputy": ("deputy", "T1"),
    "planner": ("planner", None),
    "organizer": ("organizer", None),
    "admin": ("admin", None),
}
SCALARS = {
    "Date": st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)).map(
        lambda day: nodes.String(day.isoformat())
    ),
    "DateTime": st.datetimes(dt.datetime(2020, 1, 1), dt.datetime(2030, 12, 31)).map(
        lambda moment: nodes.String(moment.isoformat())
    ),
}
#: importRoster takes an Upload, which only a multipart request carries (tested elsewhere).
_MUTATION = graphcoord_schema._schema.mutation_type
assert _MUTATION is not None
MUTATION_FIELDS = [name for name in _MUTATION.fields if name != "importRoster"]


def run(
    http: httpx.Client,
    headers: dict[str, str],
    strategy: st.SearchStrategy[Any],
    examples: int,
    seen: Counter[str],
) -> None:
    """Send ``examples`` documents drawn from ``strategy``; count the answers' error codes."""

    @hypothesis_settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(document=strategy)
    def send(document: str) -> None:
        response = http.post("/graphql", json={"query": document}, headers=headers)
        seen["requests"] += 1
        seen[f"http {response.status_code}"] += 1
        assert response.status_code != 500, (document, response.text)
        errors = response.json().get("errors") or []
        codes = [str((e.get("extensions") or {}).get("code")) for e in errors]
        seen.update(codes)
        assert "INTERNAL" not in codes, (document, errors)

    send()


@pytest.mark.parametrize("role", list(ROLES), ids=list(ROLES))
def test_generated_documents_never_break_the_server(
    settings: Settings, db: Database, role: str
) -> None:
    write_dataset(db, citizen_city())
    app = create_app(settings.with_(token_rate_limit_per_minute=0, dispatch_retry_seconds=0.0), db)
    who = ROLES[role]
    headers = bearer(settings, who[0], who[1]) if who else {}
    sdl = graphcoord_schema._schema
    seen: Counter[str] = Counter()
    with served(app) as url, httpx.Client(base_url=url, timeout=120) as http:
        run(http, headers, queries(sdl, custom_scalars=SCALARS), QUERIES, seen)
        run(
            http,
            headers,
            mutations(sdl, fields=MUTATION_FIELDS, custom_scalars=SCALARS),
            MUTATIONS,
            seen,
        )
        if role == "public":
            invalid = queries(sdl, custom_scalars=SCALARS, mode=Mode.NEGATIVE)
            run(http, headers, invalid, INVALID, seen)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{role}.json").write_text(json.dumps(dict(seen), indent=1, sort_keys=True))
    assert seen["requests"] >= QUERIES + MUTATIONS
    assert seen["http 500"] == 0 and seen["INTERNAL"] == 0
