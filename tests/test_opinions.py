"""Opinions that find each other, through GraphQL over HTTP and the CLI against the real Neo4j:
suggested categories and their review, similar issues, merges, hot topics and proposal drafts.

The text model is fitted once for the module by ``graphcoord text fit`` (as an operator would)
into the session's state folder, and removed afterwards so other modules see none.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from graphcoord.app import create_app
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.services import opinions
from graphcoord.services.dataset import write_dataset
from tests.conftest import CLEAN_GRAPH, bearer, data, graphql, run_cli
from tests.factories import CITY, COUNTY, PROVINCE, deputy

TOWN_A = {
    "code": "321302100000",
    "name": "清河镇",
    "kind": "TOWNSHIP",
    "parentCode": COUNTY["code"],
}
TOWN_B = {
    "code": "321302101000",
    "name": "洋北镇",
    "kind": "TOWNSHIP",
    "parentCode": COUNTY["code"],
}
VILLAGES = {
    code: {"code": code, "name": name, "kind": "VILLAGE", "parentCode": town["code"]}
    for code, name, town in (
        ("321302100201", "王庄村", TOWN_A),
        ("321302100202", "李庄村", TOWN_A),
        ("321302100203", "张庄村", TOWN_A),
        ("321302100204", "赵庄村", TOWN_A),
        ("321302100205", "陈庄村", TOWN_A),
        ("321302101201", "刘集村", TOWN_B),
    )
}
A1, A2, A3, A4, A5, B1 = VILLAGES


def topic_city() -> dict[str, list[dict[str, Any]]]:
    """Five villages of 清河镇 and one of 洋北镇; township deputies T1 (A1-A3) and T2 (A3, A4),
    county deputy C1 (A1, A2, A4), city deputy Y1 (A1, B1), national deputy N1 (A5)."""

    def contact(deputy_id: str, code: str, basis: str) -> dict[str, str]:
        return {"deputyId": deputy_id, "areaCode": code, "basis": basis}

    own, near = "ORIGINAL_CONSTITUENCY", "NEAR_HOME_OR_WORK"
    return {
        "areas": [PROVINCE, CITY, COUNTY, TOWN_A, TOWN_B, *VILLAGES.values()],
        "deputies": [
            deputy("T1", "TOWNSHIP", TOWN_A["code"], name="唐一"),
            deputy("T2", "TOWNSHIP", TOWN_A["code"], name="唐二"),
            deputy("C1", "COUNTY", TOWN_A["code"], name="程一"),
            deputy("Y1", "CITY", COUNTY["code"], baseArea=TOWN_A["code"], name="杨一"),
            deputy("N1", "NATIONAL", PROVINCE["code"], baseArea=TOWN_A["code"], name="倪一"),
        ],
        "contacts": [
            *(contact("T1", code, own) for code in (A1, A2, A3)),
            *(contact("T2", code, own) for code in (A3, A4)),
            *(contact("C1", code, own) for code in (A1, A2, A4)),
            *(contact("Y1", code, near) for code in (A1, B1)),
            contact("N1", A5, near),
        ],
    }


#: The planted topic: one broken bridge reported from four villages of 清河镇.
BRIDGE = [
    (
        A1,
        "通往镇上的老石桥桥墩开裂",
        "我们王庄村去清河镇上必须过那座老石桥，这个月桥墩出现明显裂缝，桥面下沉，每天校车和拉粮车都从上面过，太危险了。",
    ),
    (
        A2,
        "老石桥桥墩裂了桥面下沉",
        "李庄村村民反映：连接本村和镇区的老石桥桥墩开裂、桥面下沉，是几个村出行的必经之路，请尽快检测并限制重车通行。",
    ),
    (
        A3,
        "去镇上的那座石桥裂了没人管",
        "张庄村的人去镇上都要过那座老石桥，现在桥墩裂开好大一条缝，桥面往下陷，还天天有大车过，真怕哪天塌了。",
    ),
    (
        A4,
        "老石桥成危桥建议重建",
        "赵庄村等几个村进镇都走这座老石桥，现在桥墩裂缝越来越大，桥面下沉，建议先限制重车，尽快纳入危桥改造。",
    ),
]
#: Unrelated opinions from the same villages.
OTHERS = [
    (
        A1,
        "幼儿园学位不够孩子上不了",
        "镇中心幼儿园今年只招一百个孩子，报名的有两百多，很多孩子上不了公办园。",
        "教育",
    ),
    (
        A2,
        "卫生院晚上没有医生值班",
        "孩子夜里发高烧抱到卫生院，急诊室锁着门，医生不在，只能连夜去城里。",
        "医疗卫生",
    ),
    (
        A3,
        "村里垃圾桶满了没人清运",
        "村口的几个垃圾桶满出来好几天了，垃圾堆在地上，天热发臭招苍蝇。",
        "环境卫生",
    ),
    (
        A4,
        "企业用电成本高",
        "园区企业反映电费比周边高，一年多出几十万成本，希望落实降电价政策。",
        "营商环境",
    ),
]
SUBMIT = """mutation($v: String!, $t: String!, $b: String!, $c: String!) {
  submitIssue(villageCode: $v, title: $t, body: $b, category: $c) {
    issueId trackingCode status } }"""


def code_of(body: dict[str, Any]) -> str | None:
    errors = body.get("errors")
    return str(errors[0]["extensions"]["code"]) if errors else None


def message_of(body: dict[str, Any]) -> str:
    return str(body["errors"][0]["message"])


@pytest.fixture(scope="module")
def fitted(settings: Settings, database: Database) -> Iterator[Path]:
    """The text model fitted by the CLI on the corpus (the graph is empty), then removed."""
    database.run_autocommit(CLEAN_GRAPH)
    done = run_cli(settings, "text", "fit")
    assert done.returncode == 0, done.stderr
    assert "文本模型已训练" in done.stdout and "682 条文本" in done.stdout
    path = opinions.model_path(settings)
    assert path.exists()
    yield path
    path.unlink(missing_ok=True)


@pytest.fixture
def api(settings: Settings, db: Database, fitted: Path) -> Iterator[TestClient]:
    write_dataset(db, topic_city())
    with TestClient(create_app(settings.with_(rate_limit_per_minute=1000), db)) as client:
        yield client


def submit(api: TestClient, village: str, title: str, body: str, category: str) -> dict[str, Any]:
    result: dict[str, Any] = data(
        graphql(api, SUBMIT, {"v": village, "t": title, "b": body, "c": category})
    )["submitIssue"]
    return result


def test_a_submitted_issue_has_a_suggested_category(api: TestClient, settings: Settings) -> None:
    organizer = bearer(settings, "organizer")
    state = data(
        graphql(
            api,
            "{ textModel { status texts sklearnVersion sources { source count } } }",
            headers=organizer,
        )
    )["textModel"]
    assert state["status"] == "FITTED" and state["texts"] == 682
    assert {"source": "corpus", "count": 682} in state["sources"]
    good = submit(
        api,
        A1,
        "村里停水三天了",
        "王庄村从周一开始停水，到今天第三天了，也没有通知，老人只能去河里挑水。",
        "饮水安全",
    )
    wrong = submit(
        api,
        A2,
        "自来水发黄有异味",
        "这几天家里自来水放出来是黄的，还有一股怪味，烧开了也有，不敢给孩子喝。",
        "教育",
    )
    query = """query($id: ID!) { issue(id: $id) { category citizenCategory categoryFlagged
                 suggestedCategory { category confidence } } }"""
    issue = data(graphql(api, query, {"id": good["issueId"]}, organizer))["issue"]
    assert issue["suggestedCategory"]["category"] == "饮水安全"
    assert 0 < issue["suggestedCategory"]["confidence"] <= 1
    assert issue["categoryFlagged"] is False
    flagged = data(graphql(api, query, {"id": wrong["issueId"]}, organizer))["issue"]
    assert flagged["suggestedCategory"]["category"] == "饮水安全"
    assert flagged["suggestedCategory"]["confidence"] >= 0.5
    assert flagged["categoryFlagged"] is True and flagged["category"] == "教育"

    review = (
        "{ categoryReview(first: 10) { totalCount nodes { id suggestedCategory { category } } } }"
    )
    listed = data(graphql(api, review, headers=organizer))["categoryReview"]
    assert [n["id"] for n in listed["nodes"]] == [wrong["issueId"]]
    assert code_of(graphql(api, review, headers=bearer(settings, "deputy", "T1"))) == "FORBIDDEN"
    assert code_of(graphql(api, review)) == "UNAUTHENTICATED"

    correct = """mutation($id: ID!, $c: String!) { correctIssueCategory(issueId: $id, category: $c) {
                   category citizenCategory categoryFlagged } }"""
    fixed = data(graphql(api, correct, {"id": wrong["issueId"], "c": "饮水安全"}, organizer))
    assert fixed["correctIssueCategory"] == {
        "category": "饮水安全",
        "citizenCategory": "教育",
        "categoryFlagged": False,
    }
    assert data(graphql(api, review, headers=organizer))["categoryReview"]["totalCount"] == 0


@pytest.mark.parametrize(
    ("variables", "role", "code", "message"),
    [
        ({"id": "I-none", "c": "教育"}, "organizer", "NOT_FOUND", "I-none"),
        ({"id": "I-none", "c": "天气"}, "admin", "BAD_USER_INPUT", "is not one of"),
        ({"id": "I-none", "c": "教育"}, "planner", "FORBIDDEN", "organizer"),
    ],
    ids=["unknown-issue", "unknown-category", "planner"],
)
def test_correcting_a_category_refuses(
    api: TestClient,
    settings: Settings,
    variables: dict[str, str],
    role: str,
    code: str,
    message: str,
) -> None:
    body = graphql(
        api,
        "mutation($id: ID!, $c: String!) { correctIssueCategory(issueId: $id, category: $c) { id } }",
        variables,
        bearer(settings, role),
    )
    assert code_of(body) == code and message in message_of(body)


def test_paraphrases_from_neighbouring_villages_find_each_other(
    api: TestClient, settings: Settings, db: Database
) -> None:
    first = submit(
        api,
        A5,
        "村口桥头的限高杆被大货车撞歪了",
        "陈庄村口桥头的限高杆前天被一辆大货车撞歪，斜着挡在半边路上，晚上骑车的人看不清，"
        "很容易撞上，请交通部门尽快修复。",
        "道路交通",
    )
    second = submit(
        api,
        A4,
        "桥头那根限高杆歪在路上很危险",
        "我们每天去镇上都经过陈庄桥头，那根限高的铁杆子被货车撞弯了，一半横在路上，小车过都得绕，"
        "请有关部门赶紧来处理。",
        "道路交通",
    )
    other = submit(
        api,
        B1,
        "路灯坏了大半年",
        "主路上的路灯坏了大半年，晚上出门只能打手电，希望尽快维修。",
        "基础设施",
    )
    query = """query($id: ID!) { issue(id: $id) { similarIssues(first: 5) { totalCount
                 edges { node { score sameVillage villageName issue { id } } } } } }"""
    organizer = bearer(settings, "organizer")
    found = data(graphql(api, query, {"id": first["issueId"]}, organizer))["issue"]["similarIssues"]
    nodes = [e["node"] for e in found["edges"]]
    assert [n["issue"]["id"] for n in nodes] == [second["issueId"]]
    assert nodes[0]["villageName"] == "赵庄村" and nodes[0]["sameVillage"] is False
    assert 0.6 <= nodes[0]["score"] <= 1
    back = data(graphql(api, query, {"id": second["issueId"]}, organizer))["issue"]["similarIssues"]
    assert [e["node"]["issue"]["id"] for e in back["edges"]] == [first["issueId"]]
    alone = data(graphql(api, query, {"id": other["issueId"]}, organizer))["issue"]["similarIssues"]
    assert alone["totalCount"] == 0
    # a page of issues asks for all their similar issues in a bounded number of round trips
    listing = "{ issues(first: 50) { nodes { id similarIssues(first: 3) { totalCount } } } }"
    before = db.round_trips
    nodes = data(graphql(api, listing, headers=organizer))["issues"]["nodes"]
    assert len(nodes) == 3 and db.round_trips - before <= 4
    bad = graphql(
        api, '{ issue(id: "x") { similarIssues(withinDays: 0) { totalCount } } }', headers=organizer
    )
    assert code_of(bad) in {"BAD_USER_INPUT", "NOT_FOUND"}


TOPICS = """query($a: String!, $from: Date!, $to: Date!, $m: Int!) {
  hotTopics(areaCode: $a, from: $from, to: $to, minVillages: $m) {
    comparedIssues truncated
    topics(first: 10) { totalCount nodes {
      id title keywords issueCount villageCount bestLevel bestLevelName
      villages { code name townshipName issueCount }
      townships { code name }
      weekly { week count }
      deputiesByLevel { level total deputies { deputy { id name } villagesCovered villageCodes } }
      cosponsors { deputy { id } villagesCovered }
      representativeIssue { id }
      issues(first: 10) { totalCount nodes { id } } } } } }"""


def _period() -> dict[str, Any]:
    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()
    return {"from": str(today - dt.timedelta(days=6)), "to": str(today + dt.timedelta(days=1))}


@pytest.fixture
def planted(api: TestClient) -> dict[str, list[str]]:
    bridge = [submit(api, v, t, b, "基础设施")["issueId"] for v, t, b in BRIDGE]
    others = [submit(api, v, t, b, c)["issueId"] for v, t, b, c in OTHERS]
    return {"bridge": bridge, "others": others}


def test_a_planted_topic_over_four_villages_is_one_cluster_with_its_deputies(
    api: TestClient, settings: Settings, planted: dict[str, list[str]]
) -> None:
    variables = {"a": COUNTY["code"], "m": 3, **_period()}
    scan = data(graphql(api, TOPICS, variables, bearer(settings, "deputy", "T1")))["hotTopics"]
    assert scan["comparedIssues"] == 8 and scan["truncated"] is False
    (topic,) = scan["topics"]["nodes"]
    assert sorted(n["id"] for n in topic["issues"]["nodes"]) == sorted(planted["bridge"])
    assert topic["issueCount"] == 4 and topic["villageCount"] == 4
    assert [v["code"] for v in topic["villages"]] == [A1, A2, A3, A4]
    assert topic["townships"] == [{"code": TOWN_A["code"], "name": "清河镇"}]
    assert topic["bestLevel"] == "TOWNSHIP" and topic["bestLevelName"] == "乡镇（街道）人大代表"
    assert {"石桥", "桥墩"} <= set(topic["keywords"]) or "桥墩" in topic["keywords"]
    assert topic["title"] in {t for _, t, _ in BRIDGE}
    assert topic["representativeIssue"]["id"] in planted["bridge"]
    assert sum(w["count"] for w in topic["weekly"]) == 4
    levels = {row["level"]: row for row in topic["deputiesByLevel"]}
    assert list(levels) == ["NATIONAL", "COUNTY", "CITY", "TOWNSHIP"] or set(levels) == {
        "TOWNSHIP",
        "COUNTY",
        "CITY",
    }
    assert set(levels) == {"TOWNSHIP", "COUNTY", "CITY"}  # N1 covers only 陈庄村, not in it
    township = [(d["deputy"]["id"], d["villageCodes"]) for d in levels["TOWNSHIP"]["deputies"]]
    assert township == [("T1", [A1, A2, A3]), ("T2", [A3, A4])]
    assert [d["deputy"]["id"] for d in levels["COUNTY"]["deputies"]] == ["C1"]
    assert levels["COUNTY"]["deputies"][0]["villagesCovered"] == 3
    assert [d["deputy"]["id"] for d in levels["CITY"]["deputies"]] == ["Y1"]
    assert [c["deputy"]["id"] for c in topic["cosponsors"]] == ["T1", "T2"]

    # an organizer drafts a joint proposal from it
    draft_query = """mutation($t: ID!) { draftProposalFromTopic(topicId: $t) {
        topicId title summary congressLevel congressLevelName keywords
        villages { code } lead { deputy { id name } } cosponsors { deputy { id } }
        originIssueIds originIssues(first: 10) { totalCount nodes { id title } } } }"""
    draft = data(graphql(api, draft_query, {"t": topic["id"]}, bearer(settings, "organizer")))[
        "draftProposalFromTopic"
    ]
    assert draft["topicId"] == topic["id"] and draft["congressLevel"] == "TOWNSHIP"
    assert draft["title"].startswith("关于") and draft["title"].endswith("的建议")
    assert "王庄村" in draft["summary"] and "4件" in draft["summary"]
    assert draft["lead"]["deputy"] == {"id": "T1", "name": "唐一"}
    assert [c["deputy"]["id"] for c in draft["cosponsors"]] == ["T2"]
    assert sorted(draft["originIssueIds"]) == sorted(planted["bridge"])
    assert draft["originIssues"]["totalCount"] == 4

    # a wider period or a higher threshold changes the scan, not this topic's id
    fewer = data(graphql(api, TOPICS, {**variables, "m": 5}, bearer(settings, "admin")))
    assert fewer["hotTopics"]["topics"]["totalCount"] == 0


def test_topics_over_two_townships_are_placed_at_the_county(
    api: TestClient, settings: Settings
) -> None:
    wages = [
        (
            A1,
            "安置房工地拖欠农民工工资",
            "我们王庄村好几个人在城南安置房工地干活，工资四个月没发了，包工头说开发商没给钱。",
        ),
        (
            A3,
            "城南安置房项目欠工资四个月",
            "张庄村有七八个人在城南安置房项目干木工，四个月没拿到工资，开发商和包工头互相推。",
        ),
        (
            B1,
            "农民工讨薪无门请求帮助",
            "刘集村多名村民在城南安置房建设项目务工，被拖欠工资四个月，请督促开发商支付农民工工资。",
        ),
    ]
    for village, title, body in wages:
        submit(api, village, title, body, "劳动就业")
    variables = {"a": COUNTY["code"], "m": 3, **_period()}
    (topic,) = data(graphql(api, TOPICS, variables, bearer(settings, "planner")))["hotTopics"][
        "topics"
    ]["nodes"]
    assert topic["bestLevel"] == "COUNTY" and topic["villageCount"] == 3
    assert [t["code"] for t in topic["townships"]] == [TOWN_A["code"], TOWN_B["code"]]
    assert [c["deputy"]["id"] for c in topic["cosponsors"]] == ["C1"]


@pytest.mark.parametrize(
    ("variables", "role", "code", "message"),
    [
        (
            {"a": "3213", "from": "2024-11-01", "to": "2024-11-30", "m": 3},
            "organizer",
            "BAD_USER_INPUT",
            "12-digit",
        ),
        (
            {"a": "999900000000", "from": "2024-11-01", "to": "2024-11-30", "m": 3},
            "organizer",
            "NOT_FOUND",
            "999900000000",
        ),
        (
            {"a": "321302000000", "from": "2024-11-30", "to": "2024-11-01", "m": 3},
            "organizer",
            "BAD_USER_INPUT",
            "before it starts",
        ),
        (
            {"a": "321302000000", "from": "2023-01-01", "to": "2024-11-01", "m": 3},
            "organizer",
            "BAD_USER_INPUT",
            "at most a year",
        ),
        (
            {"a": "321302000000", "from": "2024-11-01", "to": "2024-11-30", "m": 1},
            "organizer",
            "BAD_USER_INPUT",
            "minVillages",
        ),
        (
            {"a": "321302000000", "from": "2024-11-01", "to": "2024-11-30", "m": 3},
            None,
            "UNAUTHENTICATED",
            "bearer token",
        ),
    ],
    ids=["short-code", "unknown-area", "reversed", "too-long", "min-villages", "public"],
)
def test_hot_topics_refuse(
    api: TestClient,
    settings: Settings,
    variables: dict[str, Any],
    role: str | None,
    code: str,
    message: str,
) -> None:
    headers = bearer(settings, role) if role else None
    body = graphql(
        api,
        "query($a: String!, $from: Date!, $to: Date!, $m: Int!) { hotTopics(areaCode: $a, from: $from, to: $to, minVillages: $m) { comparedIssues } }",
        variables,
        headers,
    )
    assert code_of(body) == code and message in message_of(body)


@pytest.mark.parametrize(
    ("topic", "role", "code", "message"),
    [
        ("T-321302000000-20241101-20241130-3-I-none", "organizer", "NOT_FOUND", "hot topic"),
        ("topic-1", "deputy", "BAD_USER_INPUT", "not a hot-topic id"),
        ("T-321302000000-20241301-20241130-3-I-none", "admin", "BAD_USER_INPUT", "no valid dates"),
        ("T-321302000000-20241101-20241130-3-I-none", "planner", "FORBIDDEN", "drafting"),
    ],
    ids=["stale", "malformed", "bad-date", "planner"],
)
def test_drafting_refuses(
    api: TestClient, settings: Settings, topic: str, role: str, code: str, message: str
) -> None:
    deputy_id = "T1" if role == "deputy" else None
    body = graphql(
        api,
        "mutation($t: ID!) { draftProposalFromTopic(topicId: $t) { title } }",
        {"t": topic},
        bearer(settings, role, deputy_id),
    )
    assert code_of(body) == code and message in message_of(body)


MERGE = """mutation($d: ID!, $o: ID!) { mergeIssue(duplicateId: $d, originalId: $o) {
  id duplicateIds trackers { id } } }"""
TRACK = """query($c: String!) { issueByTrackingCode(trackingCode: $c) {
  title status ticket mergedAt history { status } } }"""


def test_merge_keeps_both_tracking_codes_working(api: TestClient, settings: Settings) -> None:
    original = submit(api, A1, *BRIDGE[0][1:], "基础设施")
    duplicate = submit(api, A4, *BRIDGE[3][1:], "基础设施")
    organizer = bearer(settings, "organizer")
    merged = data(
        graphql(api, MERGE, {"d": duplicate["issueId"], "o": original["issueId"]}, organizer)
    )
    assert merged["mergeIssue"]["id"] == original["issueId"]
    assert merged["mergeIssue"]["duplicateIds"] == [duplicate["issueId"]]
    # the duplicate's deputies (T2, C1 of 赵庄村) now track the original with A1's (T1, C1, Y1)
    assert [d["id"] for d in merged["mergeIssue"]["trackers"]] == ["C1", "T1", "T2", "Y1"]
    progress = """mutation($id: ID!) { updateIssueStatus(issueId: $id, status: IN_PROGRESS,
                    note: "已联系交通局检测") { status } }"""
    data(graphql(api, progress, {"id": original["issueId"]}, organizer))

    own = data(graphql(api, TRACK, {"c": original["trackingCode"]}))["issueByTrackingCode"]
    dup = data(graphql(api, TRACK, {"c": duplicate["trackingCode"]}))["issueByTrackingCode"]
    assert own["status"] == dup["status"] == "IN_PROGRESS"
    assert dup["ticket"] == own["ticket"] and dup["history"] == own["history"]
    assert dup["title"] == BRIDGE[3][1] and dup["mergedAt"] and own["mergedAt"] is None
    page = api.get(f"/t/{duplicate['trackingCode']}")
    assert page.status_code == 200 and "合并办理" in page.text and "办理中" in page.text
    assert "合并办理" not in api.get(f"/t/{original['trackingCode']}").text

    query = """query($id: ID!) { issue(id: $id) { mergedInto { id } trackers { id }
                 similarIssues { totalCount } } }"""
    seen = data(graphql(api, query, {"id": duplicate["issueId"]}, organizer))["issue"]
    assert seen["mergedInto"] == {"id": original["issueId"]} and seen["trackers"] == []
    # merged duplicates are no longer offered as similar issues of the original
    again = data(graphql(api, query, {"id": original["issueId"]}, organizer))["issue"]
    assert again["similarIssues"]["totalCount"] == 0

    twice = graphql(api, MERGE, {"d": duplicate["issueId"], "o": original["issueId"]}, organizer)
    assert code_of(twice) == "RULE_VIOLATION" and "already merged" in message_of(twice)
    into_merged = graphql(
        api, MERGE, {"d": original["issueId"], "o": duplicate["issueId"]}, organizer
    )
    assert code_of(into_merged) == "RULE_VIOLATION" and "issue-merge" in message_of(into_merged)


@pytest.mark.parametrize(
    ("pair", "role", "code", "message"),
    [
        (("same", "same"), "organizer", "RULE_VIOLATION", "into itself"),
        (("new", "I-none"), "admin", "NOT_FOUND", "I-none"),
        (("new", "same"), "deputy", "FORBIDDEN", "merging issues"),
        (("new", "same"), None, "UNAUTHENTICATED", "bearer token"),
    ],
    ids=["itself", "unknown", "deputy", "public"],
)
def test_merging_refuses(
    api: TestClient,
    settings: Settings,
    pair: tuple[str, str],
    role: str | None,
    code: str,
    message: str,
) -> None:
    same = submit(api, A1, *BRIDGE[0][1:], "基础设施")["issueId"]
    new = submit(api, A2, *BRIDGE[1][1:], "基础设施")["issueId"]
    ids = {"same": same, "new": new}
    variables = {"d": ids.get(pair[0], pair[0]), "o": ids.get(pair[1], pair[1])}
    headers = bearer(settings, role, "T1" if role == "deputy" else None) if role else None
    body = graphql(api, MERGE, variables, headers)
    assert code_of(body) == code and message in message_of(body)


def test_topics_cli_table_and_json(
    api: TestClient, settings: Settings, planted: dict[str, list[str]]
) -> None:
    period = _period()
    args = ("topics", "--area", COUNTY["code"], "--from", period["from"], "--to", period["to"])
    table = run_cli(settings, *args)
    assert table.returncode == 0, table.stderr
    assert "发现 1 个" in table.stdout and "建议牵头层级" in table.stdout and "唐一" in table.stdout
    done = run_cli(settings, *args, "--json")
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    (topic,) = answer["topics"]
    assert sorted(topic["issue_ids"]) == sorted(planted["bridge"])
    assert topic["best_level"] == "TOWNSHIP"
    assert [d["id"] for d in topic["cosponsors"]] == ["T1", "T2"]
    bad = run_cli(
        settings, "topics", "--area", COUNTY["code"], "--from", "11/01", "--to", period["to"]
    )
    assert bad.returncode == 2 and "not a date" in bad.stderr


def test_without_a_model_the_server_still_answers(
    settings: Settings, db: Database, fitted: Path, tmp_path: Path
) -> None:
    """Another state folder without a model: no suggestion and a clear state; similar issues
    and topics still work on features fitted on the corpus."""
    bare = settings.with_(state_dir=tmp_path, neo4j_password=settings.password)
    other = Database(bare)
    try:
        write_dataset(other, topic_city())
        with TestClient(create_app(bare.with_(rate_limit_per_minute=1000), other)) as client:
            organizer = bearer(bare, "organizer")
            state = data(
                graphql(client, "{ textModel { status message texts } }", headers=organizer)
            )
            assert state["textModel"]["status"] == "NOT_FITTED"
            assert "graphcoord text fit" in state["textModel"]["message"]
            ids = [submit(client, v, t, b, "基础设施")["issueId"] for v, t, b in BRIDGE]
            issue = data(
                graphql(
                    client,
                    "query($id: ID!) { issue(id: $id) { suggestedCategory { category } categoryFlagged similarIssues { totalCount } } }",
                    {"id": ids[0]},
                    organizer,
                )
            )["issue"]
            assert issue["suggestedCategory"] is None and issue["categoryFlagged"] is False
            assert issue["similarIssues"]["totalCount"] >= 1
            (tmp_path / "text").mkdir(exist_ok=True)
            opinions.model_path(bare).write_bytes(b"not a model")
            state = data(graphql(client, "{ textModel { status message } }", headers=organizer))
            assert state["textModel"]["status"] == "UNUSABLE"
            assert "not a graphcoord text model" in state["textModel"]["message"]
    finally:
        other.close()
