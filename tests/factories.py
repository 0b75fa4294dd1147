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


STATION_A = {"id": "ST-A", "name": "甲镇人大代表联络站", "kind": "STATION",
             "monthlyActivityDay": 15, "areaCode": TOWN_A["code"]}  # fmt: skip
POINT_A = {"id": "PT-A", "name": "甲村人大代表联络点", "kind": "POINT",
           "monthlyActivityDay": 20, "areaCode": VILLAGE_A["code"]}  # fmt: skip
STATION_B = {"id": "ST-B", "name": "乙镇人大代表联络站", "kind": "STATION",
             "monthlyActivityDay": 10, "areaCode": TOWN_B["code"]}  # fmt: skip


def station_city() -> dict[str, list[dict[str, Any]]]:
    """Township A with its station and a point in village A, township B with its station.

    Deputies connected to township A: T1 (received at ST-A, elected there), C1 (elected there,
    contacts village A), Y1 (a city deputy contacting village A); L1 left (received at ST-A);
    N1 and X1 belong to township B only (received at ST-B; X1 elected there).
    """
    return {
        "areas": BASE_AREAS,
        "deputies": [
            deputy("T1", "TOWNSHIP", TOWN_A["code"], name="唐一", workUnit="甲镇农技站"),
            deputy("C1", "COUNTY", TOWN_A["code"], name="程一", phone="13912345678"),
            deputy("Y1", "CITY", COUNTY["code"], baseArea=TOWN_A["code"], name="杨一"),
            deputy("N1", "NATIONAL", PROVINCE["code"], baseArea=TOWN_B["code"], name="倪一"),
            deputy("L1", "PROVINCIAL", PROVINCE["code"], status="LEFT", name="离任"),
            deputy("X1", "TOWNSHIP", TOWN_B["code"], name="许一"),
        ],
        "contacts": [
            {"deputyId": "T1", "areaCode": VILLAGE_A["code"], "basis": "ORIGINAL_CONSTITUENCY"},
            {"deputyId": "C1", "areaCode": VILLAGE_A["code"], "basis": "ORIGINAL_CONSTITUENCY"},
            {"deputyId": "Y1", "areaCode": VILLAGE_A["code"], "basis": "NEAR_HOME_OR_WORK"},
            {"deputyId": "X1", "areaCode": VILLAGE_B["code"], "basis": "ORIGINAL_CONSTITUENCY"},
        ],
        "stations": [STATION_A, POINT_A, STATION_B],
        "receptions": [
            {"deputyId": "T1", "placeId": "ST-A"},
            {"deputyId": "L1", "placeId": "ST-A"},
            {"deputyId": "N1", "placeId": "ST-B"},
            {"deputyId": "X1", "placeId": "ST-B"},
        ],
    }
