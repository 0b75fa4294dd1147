"""Issue titles by category, shared by the Suqian and Liulin datasets."""

from __future__ import annotations

import datetime as dt
import random

__all__ = ["CATEGORIES", "LIVELIHOOD", "issue_text", "random_time", "short_village"]

#: Category -> title templates (``{v}`` = short village name).
CATEGORIES: dict[str, tuple[str, ...]] = {
    "道路交通": (
        "{v}通组道路破损亟需修缮",
        "{v}路口缺少红绿灯存在安全隐患",
        "{v}公交班次少出行不便",
    ),
    "饮水安全": ("{v}自来水水压不足", "{v}人畜饮水困难", "{v}供水管网老化经常停水"),
    "环境卫生": ("{v}生活垃圾清运不及时", "{v}河塘水体发黑发臭", "{v}公厕缺少日常保洁"),
    "教育": ("{v}小学放学接送拥堵", "{v}幼儿园学位紧张", "{v}学校周边流动摊贩影响安全"),
    "医疗卫生": ("{v}卫生室缺少常用药品", "{v}老人就医报销手续繁琐"),
    "养老服务": ("{v}老年人助餐点建设", "{v}居家养老服务站利用率低"),
    "劳动就业": ("{v}返乡人员就业技能培训需求", "{v}灵活就业人员社保缴纳咨询"),
    "农业农村": ("{v}农田灌溉渠道淤塞", "{v}农产品销售渠道单一", "{v}高标准农田建设进度慢"),
    "基础设施": ("{v}路灯损坏夜间照明不足", "{v}排水沟堵塞雨天积水", "{v}村级文化广场设施老化"),
}
#: Categories of the livelihood problems a liaison station can get solved.
LIVELIHOOD: tuple[str, ...] = ("饮水安全", "道路交通", "基础设施")
_SUFFIXES = (
    "社区居民委员会",
    "村民委员会",
    "居民委员会",
    "社区居委会",
    "村委会",
    "居委会",
    "委员会",
)


def short_village(name: str) -> str:
    """``刘河村委会`` -> ``刘河村``, ``南苑社区居委会`` -> ``南苑社区``."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            if suffix.startswith("社区"):
                return stem + "社区"
            if suffix.startswith("村"):
                return stem if stem.endswith("村") else stem + "村"
            return stem if stem.endswith("社区") else stem + "社区"
    return name


def issue_text(
    rng: random.Random, village: str, categories: tuple[str, ...] = ()
) -> tuple[str, str, str]:
    """A (category, title, body) triple for a village's short name."""
    category = rng.choice(categories or tuple(CATEGORIES))
    title = rng.choice(CATEGORIES[category]).format(v=village)
    body = f"群众反映：{title}，希望有关部门尽快研究解决。"
    return category, title, body


def random_time(rng: random.Random, start: dt.date, end: dt.date) -> dt.datetime:
    """A working-hours time between ``start`` and ``end`` (China Standard Time)."""
    day = start + dt.timedelta(days=rng.randrange((end - start).days))
    tz = dt.timezone(dt.timedelta(hours=8))
    return dt.datetime(
        day.year, day.month, day.day, rng.randint(8, 17), rng.randrange(60), tzinfo=tz
    )
