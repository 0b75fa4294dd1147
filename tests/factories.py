"""Small hand-made datasets for tests that change the graph."""

from __future__ import annotations

from typing import Any

PROVINCE = {"code": "320000000000", "name": "江苏省", "kind": "PROVINCE"}
CITY = {"code": "321300000000", "name": "宿迁市", "kind": "CITY", "parentCode": "320000000000"}
COUNTY = {"code": "321302000000", "name": "宿城区", "kind": "COUNTY", "parentCode": "321300000000"}
TOWN_A = {"code": "321302100000", "name": "甲镇", "kind": "TOWNSHIP", "parentCode": COUNTY["code"]}
TOWN_B = {"code": "321302101000", "name": "乙镇", "kind": "TOWNSHIP", "parentCode": COUNTY["code"]}
VILLAGE_A = {
    "code": "321302100201",
    "name": "甲村",
    "kind": "VILLAGE",
    "parentCode": TOWN_A["code"],
}
VILLAGE_B = {
    "code": "321302101201",
    "name": "乙村",
    "kind": "VILLAGE",
    "parentCode": TOWN_B["code"],
}
BASE_AREAS = [PROVINCE, CITY, COUNTY, TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B]


def deputy(
    deputy_id: str, level: str, elected_in: str | None = None, **extra: Any
) -> dict[str, Any]:
    return {
        "id": deputy_id,
        "name": deputy_id,
        "level": level,
        "status": "ACTIVE",
        "electedIn": elected_in,
        "phone": "13800000000",
        **extra,
    }


def small_city() -> dict[str, list[dict[str, Any]]]:
    """Two townships, two villages, four deputies of four levels and one group without members."""
    return {
        "areas": BASE_AREAS,
        "deputies": [
            deputy("T1", "TOWNSHIP", TOWN_A["code"]),
            deputy("C1", "COUNTY", TOWN_A["code"]),
            deputy("Y1", "CITY", COUNTY["code"], baseArea=TOWN_B["code"]),
            deputy("N1", "NATIONAL", PROVINCE["code"]),
        ],
        "groups": [
            {"id": "G1", "name": "一组", "kind": "COLLABORATIVE", "areaCode": COUNTY["code"]}
        ],
    }
