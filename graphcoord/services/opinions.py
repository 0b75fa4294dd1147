"""Opinions that find each other: suggested categories, duplicates, merges and hot topics.

The text model (:mod:`graphcoord.text`) is fitted by :func:`fit` (``graphcoord text fit``) on
the project's labelled corpus and the issues in the database, saved in the state folder
(``<state>/text/model.pkl``) and loaded by every process that needs it; a file written again
is reloaded on its next use. Without a saved model the service still answers: suggestions are
absent (``textModel.status`` says ``NOT_FITTED``), and duplicates and topics compare texts with
sameness features fitted on the corpus alone (once per process).

- **Suggested category**: :func:`suggest_new_issue` runs after a submission is stored; the
  suggestion is kept on the issue, which is flagged for an organizer when it disagrees with the
  citizen's choice with high confidence (rule ``category-suggestion``). An organizer's
  :func:`correct_category` clears the flag and the corrected category is what the next fit
  learns from. Each fit suggests again for every issue.
- **Similar issues** (:func:`similar_issues`): issues of the same county raised within a window
  of days, at least :data:`~graphcoord.text.DUPLICATE_THRESHOLD` similar, merged ones left out.
- **Merge** (:func:`merge_issue`, organizers and admins, rule ``issue-merge``): the duplicate
  points at its original, its tracking deputies move to the original, and its tracking code
  shows the original's status (:func:`graphcoord.services.issues.public_issue`).
- **Hot topics** (:func:`hot_topics`): clusters over at least ``min_villages`` villages of an
  area and period, with keywords, a representative title, villages and townships, the weekly
  trend, the covering deputies by level, the best-placed level
  (:func:`graphcoord.rules.best_placed_level`) and suggested co-sponsors. A topic's id names its
  area, period, threshold and first issue, so :func:`draft_proposal_from_topic` finds it again.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphcoord.caching import BoundedCache
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.errors import BadInput, Forbidden, NotFound, RuleViolation
from graphcoord.model import (
    CATEGORIES,
    CHINA,
    JOINT_MOTION_SPONSORS,
    LEVEL_NAMES,
    Level,
    now_in_china,
    significant_length,
)
from graphcoord.queries import issues as issue_queries
from graphcoord.queries import opinions as queries
from graphcoord.queries.issues import IssueRow
from graphcoord.queries.opinions import CoveringDeputy, IssueOpinion, IssueText
from graphcoord.rules import (
    MERGE_RULE,
    best_placed_level,
    category_flagged,
    check_merge,
    require_area_code,
)

__all__ = [
    "MAX_CANDIDATES",
    "MAX_SIMILAR",
    "SIMILAR_WINDOW_DAYS",
    "FitReport",
    "HotTopic",
    "IssueOpinion",
    "ModelState",
    "ProposalDraft",
    "SimilarIssue",
    "TopicDeputy",
    "TopicVillage",
    "correct_category",
    "draft_proposal_from_topic",
    "fit",
    "flagged_issues",
    "hot_topics",
    "issue_opinions",
    "issue_rows",
    "merge_issue",
    "model_path",
    "model_state",
    "similar_by_keys",
    "similar_issues",
    "suggest_new_issue",
]

log = logging.getLogger(__name__)

#: Days before and after an issue within which its similar issues are looked for (default).
SIMILAR_WINDOW_DAYS = 90
#: Similar issues kept per issue (the list a GraphQL page slices).
MAX_SIMILAR = 50
#: Issues compared at most per county window or topic scope (the newest ones).
MAX_CANDIDATES = 5000
#: Rows read per round trip when fitting and suggesting for the whole database.
_BATCH = 2000
_MANAGERS = frozenset({"organizer", "admin"})
_TOPIC_ID = re.compile(r"^T-(\d{12})-(\d{8})-(\d{8})-(\d{1,3})-(.+)$")


# -- the model: where it lives, loading, state ------------------------------------------------


def model_path(settings: Settings) -> Path:
    """Where the fitted text model is saved: ``<state folder>/text/model.pkl``."""
    return settings.state_dir / "text" / "model.pkl"


@dataclass(frozen=True)
class ModelState:
    """Whether a text model can be used, and what it was fitted on."""

    status: str  # FITTED | NOT_FITTED | UNUSABLE
    message: str
    path: str
    fitted_at: dt.datetime | None = None
    sklearn_version: str | None = None
    texts: int = 0
    sources: dict[str, int] = field(default_factory=dict)


#: path -> (modification time, the model or the error it raised)
_MODELS: BoundedCache[Path, tuple[float, Any]] = BoundedCache(4)
_configured = threading.Lock()


def _text() -> Any:
    """The text package, imported on first use (scikit-learn and jieba take a second)."""
    import graphcoord.text as text

    return text


def _prepare(settings: Settings) -> Any:
    text = _text()
    with _configured:
        text.configure(settings.state_dir / "text")
    return text


def _load(settings: Settings) -> Any:
    """The saved model, or ``None`` when there is none; raises the text package's error for a
    file this process cannot use (another scikit-learn, damaged)."""
    path = model_path(settings)
    try:
        stamp = path.stat().st_mtime
    except FileNotFoundError:
        return None
    known = _MODELS.get(path)
    if known is None or known[0] != stamp:
        text = _prepare(settings)
        try:
            loaded: Any = text.load_model(path)
        except text.TextError as error:
            loaded = error
        known = (stamp, loaded)
        _MODELS.put(path, known)
    if isinstance(known[1], Exception):
        raise known[1]
    return known[1]


def _usable_model(settings: Settings) -> Any:
    """The saved model, or ``None`` when there is none or it cannot be used (logged)."""
    try:
        return _load(settings)
    except Exception as error:
        log.warning("text model not used: %s", error)
        return None


def model_state(settings: Settings) -> ModelState:
    """``FITTED`` with what it was fitted on, ``NOT_FITTED``, or ``UNUSABLE`` and why."""
    path = model_path(settings)
    try:
        model = _load(settings)
    except Exception as error:
        return ModelState("UNUSABLE", str(error), str(path))
    if model is None:
        return ModelState(
            "NOT_FITTED",
            "no text model has been fitted yet: run `graphcoord text fit`; until then issues "
            "get no suggested category",
            str(path),
        )
    info = model.info
    return ModelState(
        "FITTED",
        f"fitted on {info.texts} texts",
        str(path),
        fitted_at=info.fitted_at,
        sklearn_version=info.sklearn_version,
        texts=info.texts,
        sources=dict(info.sources),
    )


def warm(settings: Settings) -> None:
    """Load the saved model (and jieba's dictionary) ahead of the first request."""
    started = time.monotonic()
    model = _usable_model(settings)
    if model is not None:
        model.suggest(["预热"])
        log.info("text model ready in %.1f s", time.monotonic() - started)


_FALLBACK: BoundedCache[str, Any] = BoundedCache(1)


def _sameness(settings: Settings) -> tuple[Callable[[Sequence[str]], Any], list[str]]:
    """The function from texts to sameness rows, and the vocabulary of its first columns: the
    saved model's, else features fitted on the corpus alone (once per process)."""
    model = _usable_model(settings)
    if model is not None:
        return model.vectors, model.vocabulary()
    text = _prepare(settings)

    def make() -> Any:
        return text.fit_similarity([item.text for item in text.load_corpus()])

    vectorizer = _FALLBACK.get_or_make("corpus", make)
    return vectorizer.transform, text.similarity_vocabulary(vectorizer)


def _document(item: IssueText) -> str:
    row = item.row
    places = (item.village_name, item.township_name, item.county_name)
    return str(_text().document(row.title, row.body, places))


# -- suggested categories ---------------------------------------------------------------------


def _suggestion_rows(
    model: Any, items: Sequence[tuple[str, str, str | None]]
) -> list[dict[str, Any]]:
    """(id, prepared text, chosen category) -> rows for ``queries.set_suggestions``."""
    at = now_in_china()
    suggestions = model.suggest([text for _, text, _ in items])
    return [
        {
            "id": issue_id,
            "category": s.category,
            "confidence": s.confidence,
            "flagged": category_flagged(chosen, s.category, s.confidence),
            "at": at,
        }
        for (issue_id, _, chosen), s in zip(items, suggestions, strict=True)
    ]


def suggest_new_issue(db: Database, issue_id: str) -> None:
    """Suggest and store a category for a just-stored issue; never raises (a submission must
    not fail because of its suggestion: the next fit suggests again)."""
    try:
        model = _usable_model(db.settings)
        if model is None:
            return
        found = queries.issue_texts(db, [issue_id]).get(issue_id)
        if found is None:
            return
        queries.set_suggestions(
            db, _suggestion_rows(model, [(issue_id, _document(found), found.row.category)])
        )
    except Exception:
        log.warning("no category suggested for issue %s", issue_id, exc_info=True)


def issue_opinions(db: Database, ids: Sequence[str]) -> dict[str, IssueOpinion]:
    """Suggestions, review and merge state of many issues in one round trip (a DataLoader's)."""
    return queries.issue_opinions(db, ids)


def issue_rows(db: Database, ids: Sequence[str]) -> dict[str, IssueRow]:
    """Issues by id in one round trip (a DataLoader's)."""
    return {key: found.row for key, found in queries.issue_texts(db, ids).items()}


def flagged_issues(db: Database, *, skip: int, limit: int) -> tuple[int, list[IssueRow]]:
    """Issues awaiting an organizer's look at their category, most confident first."""
    return queries.flagged_page(db, skip=skip, limit=limit)


def correct_category(db: Database, issue_id: str, category: str, role: str) -> IssueRow:
    """An organizer's category for an issue (its suggestion confirmed, or the citizen's choice
    kept): the flag is cleared, the citizen's choice kept as ``citizenCategory``, and the next
    fit learns the corrected category."""
    if role not in _MANAGERS:
        raise Forbidden("correcting a category is for organizers and admins")
    category = category.strip()
    if category not in CATEGORIES:
        raise BadInput(f"category {category!r} is not one of {', '.join(CATEGORIES)}")
    row = queries.correct_category(db, issue_id, category, now_in_china(), role)
    if row is None:
        raise NotFound("issue", issue_id)
    return row


@dataclass(frozen=True)
class FitReport:
    """What :func:`fit` did."""

    path: Path
    texts: int
    sources: dict[str, int]
    suggested: int
    flagged: int
    seconds: float
    sklearn_version: str


def fit(db: Database, *, now: dt.datetime | None = None) -> FitReport:
    """Fit the text model on the project's corpus and the database's issues, save it, and
    suggest again for every issue.

    Issues whose category an organizer reviewed count with their corrected category; issues
    flagged and not yet reviewed are left out (their label is in doubt).
    """
    started = time.monotonic()
    settings = db.settings
    text = _prepare(settings)
    corpus = text.load_corpus()
    texts = [item.text for item in corpus]
    labels = [item.category for item in corpus]
    reviewed = 0
    from_issues = 0
    for row in _pages(db, every=False):
        texts.append(text.document(row["title"], row["body"], _places(row)))
        labels.append(row["category"])
        from_issues += 1
        reviewed += bool(row["reviewed"])
    sources = {"corpus": len(corpus), "issues": from_issues, "reviewed": reviewed}
    try:
        model = text.fit_model(texts, labels, sources=sources, fitted_at=now)
    except text.TextError as error:
        raise BadInput(f"cannot fit the text model: {error}") from None
    path = model_path(settings)
    text.save_model(model, path)
    suggested = flagged = 0
    for page in _chunks(_pages(db, every=True), _BATCH):
        rows = _suggestion_rows(
            model,
            [
                (r["id"], text.document(r["title"], r["body"], _places(r)), r["category"])
                for r in page
            ],
        )
        suggested += queries.set_suggestions(db, rows)
        flagged += sum(bool(r["flagged"]) for r in rows)
    return FitReport(
        path=path,
        texts=len(texts),
        sources=sources,
        suggested=suggested,
        flagged=flagged,
        seconds=round(time.monotonic() - started, 1),
        sklearn_version=model.info.sklearn_version,
    )


def _places(row: dict[str, Any]) -> tuple[str | None, ...]:
    return (row.get("villageName"), row.get("townshipName"))


def _pages(db: Database, *, every: bool) -> Any:
    after = ""
    while True:
        page = queries.training_texts(db, CATEGORIES, after=after, limit=_BATCH, every=every)
        yield from page
        if len(page) < _BATCH:
            return
        after = page[-1]["id"]


def _chunks(rows: Any, size: int) -> Any:
    chunk: list[Any] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# -- similar issues and merges ----------------------------------------------------------------


@dataclass(frozen=True)
class SimilarIssue:
    """Another issue on the same matter, how similar (cosine, 0-1), and where it was raised."""

    row: IssueRow
    score: float
    village_name: str | None
    same_village: bool


def _county(area_code: str | None) -> str:
    return (area_code or "")[:6]


def similar_by_keys(db: Database, keys: Sequence[str]) -> dict[str, list[SimilarIssue]]:
    """Similar issues for keys ``"<issue id>|<window days>"``, in two round trips whatever
    their number (a DataLoader's): the issues, then every county window at once."""
    wanted: list[tuple[str, str, int]] = []
    for key in keys:
        issue_id, _, window = key.rpartition("|")
        wanted.append((key, issue_id, int(window)))
    texts = queries.issue_texts(db, sorted({issue_id for _, issue_id, _ in wanted}))
    windows: dict[str, list[dt.datetime]] = defaultdict(list)
    for _, issue_id, days in wanted:
        found = texts.get(issue_id)
        if found is None or found.row.created_at is None:
            continue
        at = found.row.created_at
        windows[_county(found.row.area_code)] += [
            at - dt.timedelta(days=days),
            at + dt.timedelta(days=days, seconds=1),
        ]
    scopes = [
        {"key": county, "prefix": county, "start": min(bounds), "end": max(bounds)}
        for county, bounds in sorted(windows.items())
        if county
    ]
    candidates = queries.scope_texts(db, scopes, MAX_CANDIDATES) if scopes else {}
    vectors, _ = _sameness(db.settings)
    threshold = _text().DUPLICATE_THRESHOLD
    pools: dict[str, tuple[list[IssueText], dict[str, int], Any]] = {}
    answer: dict[str, list[SimilarIssue]] = {key: [] for key, _, _ in wanted}
    for key, issue_id, days in wanted:
        found = texts.get(issue_id)
        if found is None or found.row.created_at is None:
            continue
        county = _county(found.row.area_code)
        if county not in pools:  # one vectorisation per county window
            pool = list(candidates.get(county, []))
            known = {item.row.id for item in pool}
            for _, other, _ in wanted:  # an asked issue outside the window query (merged…)
                extra = texts.get(other)
                if (
                    extra is not None
                    and other not in known
                    and _county(extra.row.area_code) == county
                ):
                    pool.append(extra)
                    known.add(other)
            index = {item.row.id: n for n, item in enumerate(pool)}
            pools[county] = (pool, index, vectors([_document(item) for item in pool]))
        pool, index, rows = pools[county]
        at, span = found.row.created_at, dt.timedelta(days=days)
        allowed = [
            n
            for n, item in enumerate(pool)
            if item.row.id != issue_id
            and item.row.created_at is not None
            and abs(item.row.created_at - at) <= span
        ]
        near = _text().neighbours(rows, index[issue_id], threshold=threshold, candidates=allowed)
        answer[key] = [
            SimilarIssue(
                row=pool[n.index].row,
                score=n.score,
                village_name=pool[n.index].village_name,
                same_village=pool[n.index].row.area_code == found.row.area_code,
            )
            for n in near[:MAX_SIMILAR]
        ]
    return answer


def similar_issues(
    db: Database, issue_id: str, *, within_days: int = SIMILAR_WINDOW_DAYS
) -> list[SimilarIssue]:
    """Issues of the same county raised within ``within_days`` of ``issue_id`` on the same
    matter, most similar first (at most :data:`MAX_SIMILAR`)."""
    if not 1 <= within_days <= 366:
        raise BadInput("withinDays must be between 1 and 366")
    if not queries.issue_texts(db, [issue_id]):
        raise NotFound("issue", issue_id)
    return similar_by_keys(db, [f"{issue_id}|{within_days}"])[f"{issue_id}|{within_days}"]


def merge_issue(db: Database, duplicate_id: str, original_id: str, role: str) -> IssueRow:
    """Merge a duplicate into its original (organizers and admins; rule ``issue-merge``).

    The duplicate's tracking deputies track the original instead (the merge keeps their ids),
    and the duplicate's tracking code shows the original's status and history.
    """
    if role not in _MANAGERS:
        raise Forbidden("merging issues is for organizers and admins")
    facts = queries.merge_facts(db, [duplicate_id, original_id])
    for issue_id in (duplicate_id, original_id):
        if issue_id not in facts:
            raise NotFound("issue", issue_id)
    duplicate, original = facts[duplicate_id], facts[original_id]
    check_merge(
        duplicate_id,
        original_id,
        duplicate_merged_into=duplicate.merged_into,
        original_merged_into=original.merged_into,
        has_duplicates=duplicate.has_duplicates,
    )
    moved = queries.merge_issue(db, duplicate_id, original_id, now_in_china(), role)
    if moved is None:
        raise RuleViolation(MERGE_RULE, "one of the issues was merged meanwhile", [duplicate_id])
    row = issue_queries.get_issue(db, original_id)
    if row is None:  # pragma: no cover - matched a moment ago
        raise NotFound("issue", original_id)
    return row


# -- hot topics and proposal drafts -----------------------------------------------------------


@dataclass(frozen=True)
class TopicVillage:
    code: str
    name: str | None
    township_code: str | None
    township_name: str | None
    issues: int


@dataclass(frozen=True)
class TopicDeputy:
    """A deputy covering some of a topic's villages."""

    id: str
    name: str
    level: str
    villages: list[str]
    open_issues: int


@dataclass(frozen=True)
class HotTopic:
    """A cluster of issues on one matter over several villages, and who should act on it."""

    id: str
    title: str
    representative_issue_id: str
    keywords: list[str]
    issue_ids: list[str]
    villages: list[TopicVillage]
    townships: list[tuple[str, str | None]]
    weekly: list[tuple[dt.date, int]]
    first_at: dt.datetime | None
    last_at: dt.datetime | None
    cohesion: float
    deputies: dict[str, list[TopicDeputy]]
    best_level: str
    cosponsors: list[TopicDeputy]

    @property
    def best_level_name(self) -> str:
        return LEVEL_NAMES[self.best_level]


@dataclass(frozen=True)
class TopicScan:
    """The hot topics of an area and period, and how many issues were compared."""

    topics: list[HotTopic]
    compared: int
    truncated: bool


def _day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    if end < start:
        raise BadInput(f"the period ends ({end}) before it starts ({start})")
    if (end - start).days > 366:
        raise BadInput("a hot-topic period is at most a year")
    return (
        dt.datetime(start.year, start.month, start.day, tzinfo=CHINA),
        dt.datetime(end.year, end.month, end.day, tzinfo=CHINA) + dt.timedelta(days=1),
    )


def topic_id(area_code: str, start: dt.date, end: dt.date, min_villages: int, anchor: str) -> str:
    """A topic's id: its scan (area, period, least villages) and its earliest issue."""
    return f"T-{area_code}-{start:%Y%m%d}-{end:%Y%m%d}-{min_villages}-{anchor}"


def hot_topics(
    db: Database, area_code: str, start: dt.date, end: dt.date, min_villages: int = 3
) -> TopicScan:
    """Clusters of the issues raised in ``area_code`` from ``start`` to ``end`` (days
    included) over at least ``min_villages`` villages, most villages first.

    Raises BadInput (area code, period, ``min_villages`` outside 2-50) or NotFound (area).
    """
    require_area_code(area_code)
    if not 2 <= min_villages <= 50:
        raise BadInput("minVillages must be between 2 and 50")
    lower, upper = _day_bounds(start, end)
    if not issue_queries.area_exists(db, area_code):
        raise NotFound("area", area_code)
    prefix = area_code[: significant_length(area_code)]
    scope = {"key": "scope", "prefix": prefix, "start": lower, "end": upper}
    items = queries.scope_texts(db, [scope], MAX_CANDIDATES).get("scope", [])
    items.sort(key=lambda i: (i.row.created_at or lower, i.row.id))
    if len(items) < 2:
        return TopicScan([], len(items), False)
    text = _text()
    vectors, vocabulary = _sameness(db.settings)
    rows = vectors([_document(item) for item in items])
    clusters = []
    for members in text.cluster_rows(rows):
        villages = {items[m].row.area_code for m in members}
        if len(villages) >= min_villages:
            clusters.append(members)
    codes = sorted({items[m].row.area_code or "" for c in clusters for m in c} - {""})
    covering = queries.covering_deputies(db, codes) if codes else []
    topics = [
        _topic(items, rows, members, vocabulary, covering, (area_code, start, end, min_villages))
        for members in clusters
    ]
    topics.sort(key=lambda t: (-len(t.villages), -len(t.issue_ids), t.id))
    return TopicScan(topics, len(items), len(items) >= MAX_CANDIDATES)


def _topic(
    items: Sequence[IssueText],
    rows: Any,
    members: Sequence[int],
    vocabulary: Sequence[str],
    covering: Sequence[CoveringDeputy],
    scan: tuple[str, dt.date, dt.date, int],
) -> HotTopic:
    text = _text()
    described = text.describe(rows, members, vocabulary)
    chosen = [items[m] for m in described.members]
    by_village: dict[str, list[IssueText]] = defaultdict(list)
    for item in chosen:
        by_village[item.row.area_code or ""].append(item)
    villages = [
        TopicVillage(
            code, group[0].village_name, group[0].township_code, group[0].township_name, len(group)
        )
        for code, group in sorted(by_village.items())
    ]
    townships = sorted({(v.township_code or "", v.township_name) for v in villages})
    codes = set(by_village)
    deputies: dict[str, list[TopicDeputy]] = {}
    for level in Level:
        here = [
            TopicDeputy(d.id, d.name, d.level, sorted(codes & set(d.villages)), d.open_issues)
            for d in covering
            if d.level == level.value and codes & set(d.villages)
        ]
        here.sort(key=lambda d: (-len(d.villages), d.open_issues, d.name, d.id))
        if here:
            deputies[level.value] = here
    best = best_placed_level(codes).value
    cosponsors = deputies.get(best, [])[: JOINT_MOTION_SPONSORS[best]]
    dates = [i.row.created_at for i in chosen if i.row.created_at is not None]
    days = [d.astimezone(CHINA).date() for d in dates]
    anchor = chosen[0].row.id  # the earliest: later issues joining keep the id
    representative = items[described.representative]
    return HotTopic(
        id=topic_id(scan[0], scan[1], scan[2], scan[3], anchor),
        title=representative.row.title,
        representative_issue_id=representative.row.id,
        keywords=list(described.keywords),
        issue_ids=[i.row.id for i in chosen],
        villages=villages,
        townships=townships,
        weekly=text.weekly_trend(days),
        first_at=min(dates) if dates else None,
        last_at=max(dates) if dates else None,
        cohesion=described.cohesion,
        deputies=deputies,
        best_level=best,
        cosponsors=list(cosponsors),
    )


@dataclass(frozen=True)
class ProposalDraft:
    """What a joint proposal drafted from a topic needs: its origin issues, villages, the
    level to act at, a lead and co-sponsors. Issue 23's proposal workflow stores it."""

    topic_id: str
    title: str
    summary: str
    keywords: list[str]
    congress_level: str
    origin_issues: list[str]
    villages: list[TopicVillage]
    lead: TopicDeputy | None
    cosponsors: list[TopicDeputy]


def draft_proposal_from_topic(db: Database, topic: str, role: str) -> ProposalDraft:
    """The draft of a joint proposal from a hot topic (deputies, organizers and admins).

    The topic is found again by its id (its scan is run anew); NotFound when that scan no
    longer has a cluster starting with the topic's first issue.
    """
    if role not in {"deputy", *_MANAGERS}:
        raise Forbidden("drafting a proposal is for deputies, organizers and admins")
    match = _TOPIC_ID.match(topic.strip())
    if match is None:
        raise BadInput(f"{topic!r} is not a hot-topic id (T-<area>-<from>-<to>-<villages>-<issue>)")
    area, start, end, villages, _anchor = match.groups()
    try:
        first = dt.datetime.strptime(start, "%Y%m%d").date()
        last = dt.datetime.strptime(end, "%Y%m%d").date()
    except ValueError:
        raise BadInput(f"{topic!r} has no valid dates") from None
    scan = hot_topics(db, area, first, last, int(villages))
    found = next((t for t in scan.topics if t.id == topic.strip()), None)
    if found is None:
        raise NotFound("hot topic", topic)
    names = "、".join(v.name or v.code for v in found.villages[:6])
    more = f"等{len(found.villages)}个村（社区）" if len(found.villages) > 6 else ""
    summary = (
        f"{first:%Y年%m月%d日}至{last:%Y年%m月%d日}，{names}{more}群众反映"
        f"{len(found.issue_ids)}件同类意见：{found.title}。关键词：{'、'.join(found.keywords)}。"
    )
    lead = found.cosponsors[0] if found.cosponsors else None
    return ProposalDraft(
        topic_id=found.id,
        title=f"关于{found.title}的建议",
        summary=summary,
        keywords=found.keywords,
        congress_level=found.best_level,
        origin_issues=found.issue_ids,
        villages=found.villages,
        lead=lead,
        cosponsors=found.cosponsors[1:],
    )
