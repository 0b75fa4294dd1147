"""Fixed vocabularies for synthetic Chinese names, phones, occupations and enterprises.

Everything is drawn from a caller's ``random.Random`` so a seed fixes the output. Occupations
carry the sectors that supervision groups and industry chains match deputies on.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from itertools import accumulate

__all__ = [
    "OCCUPATIONS",
    "Occupation",
    "enterprise_name",
    "firm",
    "person_name",
    "phone",
    "pick_occupation",
]

# The most common surnames, roughly in frequency order (earlier ones are drawn more often).
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤"
)
_SURNAME_CUM = tuple(accumulate(1.0 / (1 + i / 8) for i in range(len(_SURNAMES))))
_GIVEN_MALE = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆志建国东峰海林锋龙晨亮成文博"
_GIVEN_FEMALE = "芳娜敏静丽艳娟霞燕玲婷雪慧莉萍红梅琳颖倩洁琴云兰凤英华玉秀美欣悦晶丹月"
_MOBILE_SECOND = "3456789"
_FIRMS = "恒通 永盛 华润 新宇 宏达 金源 泰和 瑞丰 鑫隆 诚信 天成 远航 嘉禾 中兴 汇丰 益民 正大 长江"


@dataclass(frozen=True)
class Occupation:
    """An occupation: its title, a work-unit pattern (``{place}`` = area name) and sectors."""

    title: str
    work_unit: str
    sectors: tuple[str, ...]
    weight: float


OCCUPATIONS: tuple[Occupation, ...] = (
    Occupation("村党组织书记", "{place}党总支", ("乡村振兴", "基层治理"), 14),
    Occupation("社区党组织书记", "{place}社区党委", ("基层治理", "养老服务"), 5),
    Occupation("种植大户", "{place}家庭农场", ("乡村振兴", "农业农村"), 10),
    Occupation("农民专业合作社理事长", "{place}农民专业合作社", ("乡村振兴", "农业农村"), 5),
    Occupation("企业负责人", "{place}{firm}有限公司", ("营商环境", "产业发展"), 12),
    Occupation("企业职工", "{place}{firm}有限公司", ("产业发展", "劳动就业"), 10),
    Occupation("个体工商户", "{place}{firm}商行", ("营商环境", "市场监管"), 5),
    Occupation("乡镇干部", "{place}人民政府", ("基层治理", "乡村振兴"), 8),
    Occupation("教师", "{place}中心小学", ("教育",), 6),
    Occupation("医生", "{place}卫生院", ("医疗卫生",), 4),
    Occupation("护士", "{place}卫生院", ("医疗卫生",), 2),
    Occupation("律师", "江苏{firm}律师事务所", ("法治建设",), 1.5),
    Occupation("非遗传承人", "{place}非遗工坊", ("非物质文化遗产", "文化旅游"), 1.2),
    Occupation("文化站站长", "{place}综合文化站", ("文化旅游", "非物质文化遗产"), 1.2),
    Occupation("养老院院长", "{place}敬老院", ("养老服务",), 1),
    Occupation("环保工程师", "{place}生态环境所", ("生态环境",), 1),
    Occupation("水利站站长", "{place}水利站", ("水利建设", "生态环境"), 1),
    Occupation("交通运输从业者", "{place}{firm}运输公司", ("交通运输",), 1.5),
    Occupation("安全生产管理员", "{place}{firm}有限公司", ("安全生产",), 1),
    Occupation("食品企业质检员", "{place}{firm}食品有限公司", ("食品安全", "产业发展"), 1.5),
    Occupation("科技人员", "{place}{firm}科技有限公司", ("科技创新", "产业发展"), 2),
    Occupation("电商从业者", "{place}{firm}电子商务有限公司", ("电子商务", "营商环境"), 2),
)
_OCCUPATION_CUM = tuple(accumulate(o.weight for o in OCCUPATIONS))


def person_name(rng: random.Random, female: bool) -> str:
    """A surname plus a one- or two-character given name."""
    surname = rng.choices(_SURNAMES, cum_weights=_SURNAME_CUM)[0]
    pool = _GIVEN_FEMALE if female else _GIVEN_MALE
    size = 1 if rng.random() < 0.3 else 2
    return surname + "".join(rng.choice(pool) for _ in range(size))


def phone(rng: random.Random) -> str:
    """A fake mainland mobile number, ``1[3-9]`` followed by nine digits."""
    return f"1{rng.choice(_MOBILE_SECOND)}{rng.randrange(10**9):09d}"


def pick_occupation(rng: random.Random) -> Occupation:
    """An occupation drawn by the weights above."""
    return rng.choices(OCCUPATIONS, cum_weights=_OCCUPATION_CUM)[0]


def firm(rng: random.Random) -> str:
    """A two-character trade name."""
    return rng.choice(_FIRMS.split())


def enterprise_name(rng: random.Random, place: str, trade: str) -> str:
    """An enterprise name such as ``宿迁恒通光电科技有限公司``."""
    return f"{place}{firm(rng)}{trade}有限公司"
