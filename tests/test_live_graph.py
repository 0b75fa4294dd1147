"""A living graph: analyses stay correct, and warm, while the city writes.

Every answer after a write -- through graphcoord or around it -- equals a computation from
scratch, and the change feed decides what must be read again: a submission or a status change
updates the escalation weights in place and re-reads nothing; a contact change patches the
coverage of the areas concerned; an out-of-band Cypher ``SET`` that changes no count is seen
by the next question.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from graphcoord import analytics as an
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.queries.changes import ChangeRecord, read_changes
from graphcoord.services import projections as proj
from graphcoord.services.changes import Family, feed, impact_of
from graphcoord.services.coverage_summary import coverage_summary
from graphcoord.services.dataset import write_dataset
from tests import factories
from tests.conftest import bearer, data, graphql, run_cli
from tests.test_importer_support import write_csv

COUNTY = factories.COUNTY["code"]
VILLAGE_A = factories.VILLAGE_A["code"]
VILLAGE_B = factories.VILLAGE_B["code"]
END = 2**63 - 1

COVERAGE = """
query($a: String!) { coverage(areaCode: $a) {
  villageCount coveredCount coverageRate byLevel { level coveredCount }
  fragile(first: 50) { edges { node { code } } } uncovered(first: 50) { edges { node { code } } }
  withoutOwnConstituencyDeputy(first: 50) { edges { node { code } } }
  load { deputyCount contactCount mean min max gini mostLoaded { villages deputy { id } } }
} }
"""
ESCALATION = """
query($v: String!) { escalationPaths(villageCode: $v, targetLevel: NATIONAL, k: 3) {
  cost deputyIds hops { from to relation reason } } }
"""


def city() -> dict[str, list[dict[str, Any]]]:
    """The small city with contacts, a liaison chain up to the national deputy, a group, and
    open issues on the township deputy (so load matters to escalation)."""
    data = factories.small_city()
    data["deputies"].append(factories.deputy("T2", "TOWNSHIP", factories.TOWN_A["code"]))
    data["contacts"] = [
        {"deputyId": "T1", "areaCode": VILLAGE_A, "basis": "ORIGINAL_CONSTITUENCY"},
        {"deputyId": "T2", "areaCode": VILLAGE_A, "basis": "ORIGINAL_CONSTITUENCY"},
        {"deputyId": "C1", "areaCode": VILLAGE_A, "basis": "ORIGINAL_CONSTITUENCY"},
        {"deputyId": "Y1", "areaCode": VILLAGE_B, "basis": "NEAR_HOME_OR_WORK"},
    ]
    data["liaisons"] = [
        {"fromId": "C1", "toId": "T1"},
        {"fromId": "C1", "toId": "T2"},
        {"fromId": "Y1", "toId": "C1"},
        {"fromId": "N1", "toId": "Y1"},
    ]
    data["memberships"] = [
        {"deputyId": "T1", "groupId": "G1", "role": "CONVENER"},
        {"deputyId": "N1", "groupId": "G1", "role": "MEMBER"},
    ]
    data["issues"] = [
        {
            "id": f"I-{n}",
            "title": "路灯坏了",
            "body": "村口路灯坏了一个多月。",
            "category": "基础设施",
            "channel": "QR",
            "status": "IN_PROGRESS",
            "createdAt": "2026-11-02T09:00:00+08:00",
            "areaCode": VILLAGE_A,
        }
        for n in range(6)
    ]
    data["trackers"] = [{"deputyId": "T1", "issueId": f"I-{n}"} for n in range(6)]
    return data


def fresh_coverage(db: Database, scope: str | None) -> an.CoverageReport:
    return an.coverage_report(coverage_summary(db, scope), scope)


def fresh_paths(db: Database, village: str) -> list[an.EscalationPath]:
    G = proj.project(db, None, proj.ALL)
    return an.escalation_paths(G, village_code=village, target_level="NATIONAL", k=3)


def check_coverage(answer: dict[str, Any], report: an.CoverageReport) -> None:
    assert answer["villageCount"] == report.village_count
    assert answer["coveredCount"] == report.covered_count
    assert answer["byLevel"] == [
        {"level": item.level, "coveredCount": item.covered_count} for item in report.by_level
    ]
    for field, codes in (
        ("fragile", report.fragile),
        ("uncovered", report.uncovered),
        ("withoutOwnConstituencyDeputy", report.without_own_constituency_deputy),
    ):
        assert [e["node"]["code"] for e in answer[field]["edges"]] == list(codes)
    load = answer["load"]
    assert (load["deputyCount"], load["contactCount"], load["max"]) == (
        report.load.deputy_count,
        report.load.contact_count,
        report.load.max,
    )
    assert [(d["deputy"]["id"], d["villages"]) for d in load["mostLoaded"]] == [
        (d.deputy_id, d.villages) for d in report.load.most_loaded
    ]


def check_paths(answer: list[dict[str, Any]], paths: list[an.EscalationPath]) -> None:
    assert [(p["cost"], p["deputyIds"]) for p in answer] == [
        (p.cost, list(p.deputy_ids)) for p in paths
    ]
    assert [[h["reason"] for h in p["hops"]] for p in answer] == [
        [h.reason for h in p.hops] for p in paths
    ]


def ask(client: TestClient, settings: Settings) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    planner = bearer(settings, "planner")
    coverage = data(graphql(client, COVERAGE, {"a": COUNTY}, planner))["coverage"]
    paths = data(graphql(client, ESCALATION, {"v": VILLAGE_A}, planner))["escalationPaths"]
    return coverage, paths


def submit(client: TestClient, settings: Settings, db: Database, tmp: Path) -> None:
    body = graphql(
        client,
        "mutation($v: String!, $t: String!, $b: String!) { submitIssue(villageCode: $v, "
        'title: $t, body: $b, category: "基础设施") { trackingCode } }',
        {"v": VILLAGE_A, "t": "路灯坏了很久", "b": "村口路灯坏了一个多月，晚上出行不便。"},
    )
    assert data(body)["submitIssue"]["trackingCode"]


def resolve(client: TestClient, settings: Settings, db: Database, tmp: Path) -> None:
    body = graphql(
        client,
        'mutation { updateIssueStatus(issueId: "I-0", status: RESOLVED) { status } }',
        headers=bearer(settings, "organizer"),
    )
    assert data(body)["updateIssueStatus"]["status"] == "RESOLVED"


def add_contact(client: TestClient, settings: Settings, db: Database, tmp: Path) -> None:
    body = graphql(
        client,
        'mutation($v: String!) { addContact(deputyId: "Y1", villageCode: $v) { changed } }',
        {"v": VILLAGE_A},
        bearer(settings, "planner"),
    )
    assert data(body)["addContact"]["changed"]


def remove_contact(client: TestClient, settings: Settings, db: Database, tmp: Path) -> None:
    body = graphql(
        client,
        'mutation($v: String!) { removeContact(deputyId: "T2", villageCode: $v) { changed } }',
        {"v": VILLAGE_A},
        bearer(settings, "planner"),
    )
    assert data(body)["removeContact"]["changed"]


def leave_by_import(client: TestClient, settings: Settings, db: Database, tmp: Path) -> None:
    path = write_csv(
        tmp / "deputies.csv",
        ["代表编号", "姓名", "代表层级", "选区代码", "状态"],
        [["C1", "C1", "县", factories.TOWN_A["code"], "离任"]],
    )
    result = run_cli(settings, "import", str(path), "--kind", "deputies")
    assert result.returncode == 0, result.stderr


def leave_out_of_band(client: TestClient, settings: Settings, db: Database, tmp: Path) -> None:
    # An admin's Cypher that changes no count: only the change feed can tell.
    db.write("MATCH (d:Deputy {id: 'C1'}) SET d.status = 'LEFT'")


Write = Callable[[TestClient, Settings, Database, Path], None]
WRITES: list[tuple[Write, bool]] = [
    (submit, False),
    (resolve, False),
    (add_contact, True),
    (remove_contact, True),
    (leave_by_import, True),
    (leave_out_of_band, True),
]


@pytest.mark.parametrize(("write", "coverage_changes"), WRITES, ids=[w.__name__ for w, _ in WRITES])
def test_answers_after_a_write_equal_a_fresh_computation(
    client: TestClient,
    settings: Settings,
    db: Database,
    tmp_path: Path,
    write: Write,
    coverage_changes: bool,
) -> None:
    write_dataset(db, city())
    before_coverage, before_paths = ask(client, settings)
    check_coverage(before_coverage, fresh_coverage(db, COUNTY))
    check_paths(before_paths, fresh_paths(db, VILLAGE_A))
    reads = proj.cache.reads

    write(client, settings, db, tmp_path)
    coverage, paths = ask(client, settings)

    check_coverage(coverage, fresh_coverage(db, COUNTY))
    check_paths(paths, fresh_paths(db, VILLAGE_A))
    assert (coverage != before_coverage) is coverage_changes
    if not coverage_changes:  # the weights moved in place; nothing was read again
        assert proj.cache.reads == reads
        assert paths != before_paths


def test_a_contact_change_in_one_county_leaves_another_countys_coverage_warm(
    db: Database,
) -> None:
    from graphcoord.services import analysis, directory

    other = {**factories.COUNTY, "code": "321311000000", "name": "宿豫区"}
    data = city()
    data["areas"] = [*data["areas"], other]
    write_dataset(db, data)
    analysis.coverage(db, COUNTY)
    analysis.coverage(db, other["code"])
    reads, patches = proj.cache.reads, proj.cache.patches
    directory.add_contact(db, "Y1", VILLAGE_A)
    assert analysis.coverage(db, other["code"]) == fresh_coverage(db, other["code"])
    assert (proj.cache.reads, proj.cache.patches) == (reads, patches)  # untouched
    assert analysis.coverage(db, COUNTY) == fresh_coverage(db, COUNTY)
    assert (proj.cache.reads, proj.cache.patches) == (reads, patches + 1)  # patched


@pytest.mark.parametrize(
    ("write", "caught_up"),
    [(submit, "load_updates"), (resolve, "load_updates"), (add_contact, "patches")],
    ids=["submit", "resolve", "add_contact"],
)
def test_a_mutation_leaves_the_analyses_caught_up(
    client: TestClient,
    settings: Settings,
    db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    write: Write,
    caught_up: str,
) -> None:
    """The writer's request catches the projections up: the next question finds nothing to
    apply and reads nothing but the (empty) feed."""
    write_dataset(db, city())
    ask(client, settings)
    before = getattr(proj.cache, caught_up), proj.cache.reads

    write(client, settings, db, tmp_path)

    assert (getattr(proj.cache, caught_up), proj.cache.reads) == (before[0] + 1, before[1])
    assert not any(entry.pending for _, entry in proj.cache._entries.items())
    polled: list[bool] = []
    poll = feed.poll

    def noted(d: Database) -> Any:
        impact = poll(d)
        polled.append(bool(impact))
        return impact

    monkeypatch.setattr(feed, "poll", noted)
    coverage, paths = ask(client, settings)
    assert polled and not any(polled)  # the feed had nothing new for the questions
    check_coverage(coverage, fresh_coverage(db, COUNTY))
    check_paths(paths, fresh_paths(db, VILLAGE_A))


def test_loads_changed_elsewhere_are_applied_without_making_the_question_wait(
    db: Database,
) -> None:
    """An issue closed by another process: the escalation weights follow in a thread of their
    own (the question that saw the change does not wait for the loads' read), nothing is read
    again, and the answers then equal a fresh computation."""
    import time

    from graphcoord.services import analysis

    write_dataset(db, city())
    before = analysis.escalate(db, village_code=VILLAGE_A, level="NATIONAL", k=3)
    reads, updates = proj.cache.reads, proj.cache.load_updates
    db.write("MATCH (i:Issue) WHERE i.id IN ['I-0', 'I-1', 'I-2'] SET i.status = 'CLOSED'")

    analysis.escalate(db, village_code=VILLAGE_A, level="NATIONAL", k=3)
    deadline = time.monotonic() + 10
    while proj.cache.load_updates == updates and time.monotonic() < deadline:
        time.sleep(0.01)
    after = analysis.escalate(db, village_code=VILLAGE_A, level="NATIONAL", k=3)

    assert (proj.cache.reads, proj.cache.load_updates) == (reads, updates + 1)
    assert list(after.paths) == fresh_paths(db, VILLAGE_A)
    assert after.paths != before.paths  # T1 carries fewer open issues now


def test_a_failed_catch_up_drops_the_projection_instead_of_losing_the_change(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from graphcoord.errors import DatabaseUnavailable
    from graphcoord.services import analysis, directory

    write_dataset(db, city())
    analysis.coverage(db, COUNTY)
    directory.add_contact(db, "Y1", VILLAGE_A)

    def down(*args: object, **kwargs: object) -> None:
        raise DatabaseUnavailable(db.uri, "gone")

    monkeypatch.setattr(proj, "catch_up", down)
    with pytest.raises(DatabaseUnavailable):
        analysis.coverage(db, COUNTY)
    monkeypatch.undo()
    reads = proj.cache.reads
    assert analysis.coverage(db, COUNTY) == fresh_coverage(db, COUNTY)
    assert proj.cache.reads == reads + 1  # read again: the change was not lost with it


def test_callers_waiting_together_share_one_poll_and_a_later_caller_polls(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading
    import time

    write_dataset(db, city())
    proj.cache.sync(db)
    polls: list[float] = []
    poll = feed.poll

    def slow(d: Database) -> Any:
        polls.append(time.monotonic())
        time.sleep(0.2)
        return poll(d)

    monkeypatch.setattr(feed, "poll", slow)
    first = threading.Thread(target=proj.cache.sync, args=(db,))
    first.start()
    time.sleep(0.05)  # the first poll is under way: those arriving now cannot use it
    waiting = [threading.Thread(target=proj.cache.sync, args=(db,)) for _ in range(4)]
    for thread in waiting:
        thread.start()
    for thread in (first, *waiting):
        thread.join()
    assert len(polls) == 2  # the first, then one for the four that waited
    proj.cache.sync(db)
    assert len(polls) == 3  # a caller arriving after every poll began polls itself


def test_the_change_feed_says_what_each_transaction_touched(db: Database) -> None:
    head = read_changes(db, END)
    assert head is not None
    db.write(
        "CREATE (:Deputy {id: 'D1', name: 'x', status: 'ACTIVE'})"
        "-[:CONTACTS {basis: 'NEAR_HOME_OR_WORK'}]->(:Area {code: '321302100201'})"
    )
    db.write("MATCH (d:Deputy {id: 'D1'}) SET d.phone = '13800000000'")
    db.write("MATCH (d:Deputy {id: 'D1'}) SET d.status = 'LEFT'")
    db.write("MATCH (:Deputy {id: 'D1'})-[c:CONTACTS]->() DELETE c")
    db.write("MATCH (d:Deputy {id: 'D1'}) DETACH DELETE d")
    state = read_changes(db, head.head)
    assert state is not None and state.epoch == head.epoch
    created, phone, left, uncontacted, deleted = state.records
    assert set(created.nodes) == {"+Deputy:D1", "+Area:321302100201"}
    assert created.relationships == ("+CONTACTS|D1|321302100201",)
    assert (phone.nodes, phone.properties) == (("~Deputy:D1",), frozenset({"Deputy.phone"}))
    assert left.properties == frozenset({"Deputy.status"})
    assert uncontacted.relationships == ("-CONTACTS|D1|321302100201",)
    assert deleted.nodes == ("-Deputy:D1",)
    assert impact_of([phone]).families == set()  # a phone number concerns no analysis
    assert Family.COVERAGE in impact_of([left]).families
    assert impact_of([uncontacted]).areas == {"321302100201"}


@pytest.mark.parametrize(
    ("record", "families"),
    [
        (
            ChangeRecord(
                1,
                frozenset({"Issue", "StatusChange"}),
                frozenset({"HAD_STATUS"}),
                ("~Issue:I-1", "+StatusChange:I-1#1"),
                ("+HAD_STATUS|I-1|I-1#1",),
                frozenset({"Issue.status", "Issue.updatedAt"}),
                False,
            ),
            {Family.LOAD},
        ),
        (
            ChangeRecord(
                2,
                frozenset({"Group"}),
                frozenset({"MEMBER_OF"}),
                (),
                ("+MEMBER_OF|D1|G1",),
                frozenset(),
                False,
            ),
            {Family.GROUPS},
        ),
        (
            ChangeRecord(
                3,
                frozenset(),
                frozenset({"LIAISON_FOR"}),
                (),
                ("+LIAISON_FOR|D1|D2",),
                frozenset(),
                False,
            ),
            {Family.LIAISONS},
        ),
        (
            ChangeRecord(
                4, frozenset({"ImportRun"}), frozenset(), ("+ImportRun:R1",), (), frozenset(), False
            ),
            set(),
        ),
        (
            ChangeRecord(
                5,
                frozenset({"Deputy"}),
                frozenset(),
                ("~Deputy:D1",),
                (),
                frozenset({"Deputy.name"}),
                False,
            ),
            {Family.COVERAGE, Family.DEPUTIES},
        ),
    ],
    ids=["status change", "membership", "liaison", "import run", "rename"],
)
def test_impact_of_a_record(record: ChangeRecord, families: set[Family]) -> None:
    assert impact_of([record]).families == families


def test_a_feed_that_restarted_resets_every_cache(db: Database) -> None:
    feed.reset()
    assert feed.poll(db).everything  # the first poll knows nothing
    assert not feed.poll(db)  # then nothing committed
    db.write("CREATE (:ImportRun {id: 'R1'})")
    impact = feed.poll(db)
    assert not impact.everything and impact.families == set()
