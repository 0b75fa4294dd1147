"""Citizens' opinions as the seeded cities' issues read: varied titles and bodies by category,
and topics planted over several villages so that hot topics exist to be found.

:func:`issue_text` draws from the dataset's random stream exactly what it always drew (a
category, then one of the category's themes), so every other row of the datasets stays as it
was; the wording is chosen by a random stream of its own, seeded by the issue's key, so the
same seed still gives the same texts. Each theme has several titles and bodies in different
registers (a villager's words, a clerk's summary), and details vary, so two issues of a theme
are alike but rarely near-duplicates.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "CATEGORIES",
    "LIVELIHOOD",
    "TOPICS",
    "Theme",
    "issue_text",
    "random_time",
    "short_village",
    "topic_text",
]


@dataclass(frozen=True, slots=True)
class Theme:
    """One matter of a category: titles and bodies (``{v}`` = the village's short name,
    ``{t}`` = its township's, ``{d}`` = a varying detail), and details to fill in."""

    titles: tuple[str, ...]
    bodies: tuple[str, ...]
    details: tuple[str, ...] = ("",)


#: Category -> its themes, in the order (and number) of the seeds' earlier title templates:
#: the dataset's random stream picks a theme by its index.
THEMES: dict[str, tuple[Theme, ...]] = {
    "道路交通": (
        Theme(
            (
                "{v}通组道路破损亟需修缮",
                "{v}出村的路坑坑洼洼",
                "关于修缮{v}通组道路的建议",
                "{v}村道塌陷下雨天没法走",
            ),
            (
                "{v}通往主路的那段水泥路{d}，电动车骑过去颠得厉害，前几天还有老人摔倒了，希望镇里抓紧修一修。",
                "俺们{v}的通组路{d}，一下雨全是泥水，孩子上学只能绕远路，请帮忙反映一下。",
                "群众反映：{v}通组道路{d}，车辆通行困难，存在安全隐患，建议列入农村公路养护计划尽快修缮。",
                "{v}这条村道修了十几年了，现在{d}，拉粮食的车都不敢走，盼着早点修好。",
            ),
            ("裂缝越来越多", "塌了好几个大坑", "路基被雨水冲垮了一半", "路面整段起皮开裂"),
        ),
        Theme(
            (
                "{v}路口缺少红绿灯存在安全隐患",
                "{v}村口路口车辆抢行太危险",
                "建议在{v}路口设置信号灯",
                "{v}十字路口经常出事故",
            ),
            (
                "{v}村口这个路口车越来越多，{d}，已经发生过好几次刮擦，希望尽快装红绿灯。",
                "每天早上孩子上学要过{v}的路口，{d}，家长都提心吊胆，能不能安排装个信号灯或者设个减速带。",
                "群众反映：{v}路口无信号控制，{d}，交通事故多发，建议交警部门增设信号灯和警示标志。",
            ),
            ("大货车速度很快", "两边都看不清来车", "过路车辆不减速", "早晚高峰堵得厉害"),
        ),
        Theme(
            (
                "{v}公交班次少出行不便",
                "{v}到城里的公交太少了",
                "希望增加{v}公交班次",
                "{v}末班公交太早",
            ),
            (
                "{v}到县城的公交{d}，在城里上班的年轻人根本赶不上，老人去医院也不方便，希望增加班次。",
                "我们{v}的人进城全靠那一趟公交，{d}，错过了只能打车，一趟好几十块。",
                "群众反映：途经{v}的城乡公交{d}，不能满足出行需求，建议优化线路、加密班次。",
            ),
            ("一天只有四班", "下午四点就没车了", "经常晚点半小时以上", "周末还停开"),
        ),
    ),
    "饮水安全": (
        Theme(
            (
                "{v}自来水水压不足",
                "{v}一到做饭时间就没水压",
                "{v}二楼上不去水",
                "关于解决{v}供水水压低的建议",
            ),
            (
                "{v}每天晚上做饭洗澡的时候，自来水{d}，二楼根本上不去水，希望水厂查查管道。",
                "俺们{v}地势高，自来水{d}，热水器都打不着火，请供水公司想想办法。",
                "群众反映：{v}用水高峰时段自来水{d}，影响正常生活，建议增设加压设施。",
            ),
            ("流得像线一样细", "时有时无", "要等到半夜才正常", "压力小得可怜"),
        ),
        Theme(
            (
                "{v}人畜饮水困难",
                "{v}水窖见底吃水难",
                "{v}旱季要拉水吃",
                "请帮{v}解决吃水问题",
            ),
            (
                "{v}今年旱得厉害，{d}，只能开三轮车下山拉水，一趟几十块钱，希望解决人畜饮水问题。",
                "我们{v}几十户人家{d}，老人挑水很吃力，牲口也没水喝，盼着早点通上自来水。",
                "群众反映：{v}{d}，人畜饮水困难，建议实施供水工程或安排送水车定期送水。",
            ),
            ("水窖里的水不够用", "老井干了", "离集中供水点有两里路", "管道一直没有通到村里"),
        ),
        Theme(
            (
                "{v}供水管网老化经常停水",
                "{v}三天两头停水",
                "{v}自来水管道老化漏水",
                "建议更换{v}老化供水管道",
            ),
            (
                "{v}的供水管道是十几年前铺的，{d}，每次停水一两天，也不提前通知，希望整体更换。",
                "这个月{v}又停水了，{d}，打电话问水厂说在修，也不说什么时候好。",
                "群众反映：{v}供水管网老化严重，{d}，建议纳入农村供水管网改造计划。",
            ),
            ("今年已经爆了四五次", "到处漏水", "水里还有铁锈味", "水管接头经常冒水"),
        ),
    ),
    "环境卫生": (
        Theme(
            (
                "{v}生活垃圾清运不及时",
                "{v}垃圾桶满了没人清",
                "{v}垃圾堆在路边发臭",
                "建议加密{v}垃圾清运",
            ),
            (
                "{v}村口的几个垃圾桶{d}，天热发臭招苍蝇，希望环卫部门按时清运。",
                "俺们{v}的垃圾{d}，风一吹满地都是，孩子上学从旁边过都捂着鼻子。",
                "群众反映：{v}生活垃圾{d}，影响村容村貌和群众健康，建议增加清运频次。",
            ),
            ("满出来好几天了", "一个礼拜才拉一次", "堆在地上没人管", "清运车好久没来了"),
        ),
        Theme(
            (
                "{v}河塘水体发黑发臭",
                "{v}的大塘臭得不行",
                "{v}河沟水黑了",
                "关于治理{v}黑臭水塘的建议",
            ),
            (
                "{v}中间那个大塘，{d}，周围住户夏天闻得头疼，建议清淤换水，截断污水。",
                "{v}村边的河沟{d}，以前还能洗衣服，现在一股臭味，希望有关部门来治一治。",
                "群众反映：{v}河塘水体{d}，蚊蝇滋生，建议实施清淤和生活污水截流。",
            ),
            ("水已经黑得发臭", "漂满了垃圾", "天天有污水往里排", "死鱼一片一片的"),
        ),
        Theme(
            (
                "{v}公厕缺少日常保洁",
                "{v}的公共厕所太脏",
                "{v}公厕建好没人管",
                "建议落实{v}公厕保洁",
            ),
            (
                "{v}村部旁边的公共厕所{d}，臭气熏天，根本下不去脚，希望安排专人保洁。",
                "{v}新建的公厕{d}，建了等于没建，请村里落实管护。",
                "群众反映：{v}公共厕所{d}，建议明确管护责任和经费。",
            ),
            ("没人打扫", "水龙头没有水", "门都坏了", "常年锁着门"),
        ),
    ),
    "教育": (
        Theme(
            (
                "{v}小学放学接送拥堵",
                "{v}小学门口接孩子堵成一锅粥",
                "{v}学校门口放学太乱",
                "建议疏导{v}小学放学交通",
            ),
            (
                "{v}小学门口的路太窄，放学时{d}，经常堵二十多分钟，希望安排人员疏导。",
                "每天下午接孩子，{v}学校门口{d}，孩子从车缝里钻来钻去，太危险了。",
                "群众反映：{v}小学放学时段{d}，存在安全隐患，建议设置临时停车区并安排护学岗。",
            ),
            ("家长的车和电动车挤在一起", "公交车也过不去", "车辆乱停乱放", "没有人指挥"),
        ),
        Theme(
            (
                "{v}幼儿园学位紧张",
                "{v}的孩子上不了公办幼儿园",
                "{v}幼儿园报名挤破头",
                "建议扩大{v}公办园学位",
            ),
            (
                "{v}附近的公办幼儿园{d}，很多适龄孩子上不了，私立的一学期要五六千，家长负担不起。",
                "孩子今年该上幼儿园了，{v}这边{d}，排了号也没排上，只能在家带着。",
                "群众反映：{v}公办幼儿园{d}，入园难问题突出，建议扩建或新建公办园。",
            ),
            ("今年只招一百个", "报名的是招生数的两倍", "学位早就满了", "离家太远又没有校车"),
        ),
        Theme(
            (
                "{v}学校周边流动摊贩影响安全",
                "{v}学校门口小摊太多",
                "{v}校门口卖三无零食",
                "建议整治{v}学校周边摊点",
            ),
            (
                "{v}学校门口{d}，孩子们放学就围着买，卫生没保障，也挡住了路。",
                "{v}小学外面{d}，还卖打火机和小刀，家长很担心，请市场监管部门管一管。",
                "群众反映：{v}学校周边{d}，食品安全和交通安全隐患突出，建议开展集中整治。",
            ),
            ("摆满了流动摊贩", "卖辣条和三无饮料", "烧烤摊油烟很大", "摊子摆到马路中间"),
        ),
    ),
    "医疗卫生": (
        Theme(
            (
                "{v}卫生室缺少常用药品",
                "{v}卫生室降压药经常断货",
                "{v}村医那里拿不到药",
                "建议保障{v}卫生室药品供应",
            ),
            (
                "{v}卫生室{d}，老人要跑到镇上去买，腿脚不方便的很难办。",
                "我家老人在{v}，每个月拿药，卫生室{d}，只能让我们从城里买了寄回去。",
                "群众反映：{v}村卫生室{d}，慢性病患者用药不便，建议保障基本药物供应。",
            ),
            ("降压药降糖药经常断货", "常用药品种太少", "一缺药就是半个月", "医保目录里的药也没有"),
        ),
        Theme(
            (
                "{v}老人就医报销手续繁琐",
                "{v}老人看病报销跑好几趟",
                "{v}异地就医报销太难",
                "建议简化{v}群众医保报销",
            ),
            (
                "{v}很多老人在外地跟子女住，看病回来报销{d}，希望简化手续。",
                "我父亲在{v}，住院报销{d}，我们请了好几天假才办完。",
                "群众反映：{v}群众医疗费用报销{d}，建议推行一站式结算和网上办理。",
            ),
            ("要跑好几趟", "材料一大堆", "等了三个月还没到账", "不知道该找哪个窗口"),
        ),
    ),
    "养老服务": (
        Theme(
            (
                "{v}老年人助餐点建设",
                "{v}独居老人吃饭难",
                "希望在{v}办个老年助餐点",
                "{v}老人吃不上热饭",
            ),
            (
                "{v}{d}，子女都在外地，自己做饭很吃力，希望村里办个助餐点。",
                "我家隔壁{v}的老人八十多了，一个人住，天天吃泡面，看着心酸；村里{d}，盼着能有个助餐点。",
                "群众反映：{v}{d}，就餐困难，建议建设村级老年助餐点并给予补贴。",
            ),
            ("独居老人有二十多个", "好几个老人腿脚不方便", "高龄老人越来越多", "老人买菜要走很远"),
        ),
        Theme(
            (
                "{v}居家养老服务站利用率低",
                "{v}养老服务站常年锁门",
                "{v}养老站挂牌不服务",
                "建议盘活{v}居家养老服务站",
            ),
            (
                "{v}的居家养老服务站{d}，老人想去坐坐都进不去。",
                "{v}养老服务站建好好几年了，{d}，希望交给专业机构运营。",
                "群众反映：{v}居家养老服务站{d}，服务功能未发挥，建议完善运营机制。",
            ),
            ("一年到头锁着门", "被改成了棋牌室", "连个工作人员都没有", "里面的床落满了灰"),
        ),
    ),
    "劳动就业": (
        Theme(
            (
                "{v}返乡人员就业技能培训需求",
                "{v}年轻人想学手艺没地方学",
                "希望在{v}办技能培训班",
                "{v}返乡青年找工作难",
            ),
            (
                "{v}从外地回来的年轻人不少，{d}，希望组织电工、焊工、电商这些实用培训。",
                "我从外地回到{v}，{d}，听说有免费培训，不知道去哪里报名。",
                "群众反映：{v}返乡人员{d}，建议开展订单式技能培训并推荐就业。",
            ),
            ("想在家门口找份工作", "没有一技之长", "年纪大了进不了厂", "想学直播带货"),
        ),
        Theme(
            (
                "{v}灵活就业人员社保缴纳咨询",
                "{v}跑外卖的想自己交社保",
                "{v}打零工的社保怎么交",
                "建议为{v}灵活就业人员讲讲社保政策",
            ),
            (
                "我在{v}{d}，没有单位，想自己交社保，不知道去哪里办，能交哪些险种。",
                "{v}好多人{d}，社保断断续续的，希望有人来讲讲政策。",
                "群众反映：{v}灵活就业人员{d}，对参保政策不了解，建议开展政策宣讲。",
            ),
            ("跑外卖", "打零工", "开网约车", "在工地干活"),
        ),
    ),
    "农业农村": (
        Theme(
            (
                "{v}农田灌溉渠道淤塞",
                "{v}的灌溉渠堵了放不下水",
                "{v}水渠多年没清淤",
                "建议疏浚{v}灌溉渠道",
            ),
            (
                "{v}好几条灌溉渠道{d}，插秧时水放不下来，很多田都耽误了。",
                "{v}的渠沟{d}，今年浇地只能自己抽水，成本高了不少。",
                "群众反映：{v}灌溉渠道{d}，影响农业生产，建议在农闲时组织清淤。",
            ),
            ("淤泥和杂草堵死了", "好多年没清淤", "水泥板都裂了", "一半被填平了"),
        ),
        Theme(
            (
                "{v}农产品销售渠道单一",
                "{v}的农产品卖不上价",
                "{v}种的东西卖不出去",
                "希望帮{v}打开农产品销路",
            ),
            (
                "{v}今年{d}，收购商压价，烂在地里，希望帮助找销路。",
                "俺们{v}的{d}，只能卖给上门的贩子，价格很低，想搞网上销售又不会。",
                "群众反映：{v}农产品{d}，销售渠道单一，建议发展电商和订单农业。",
            ),
            ("西红柿大丰收", "红枣卖不上价", "大米没有品牌", "小杂粮没有销路"),
        ),
        Theme(
            (
                "{v}高标准农田建设进度慢",
                "{v}高标准农田质量差",
                "{v}的农田改造一拖再拖",
                "关于{v}高标准农田建设的意见",
            ),
            (
                "{v}去年建的高标准农田，{d}，希望检查工程质量。",
                "{v}的高标准农田说是去年完工，{d}，今年种地受了影响。",
                "群众反映：{v}高标准农田建设{d}，建议加强工程监管。",
            ),
            ("田间道路一年就压坏了", "沟渠的水泥板裂了", "到现在还没完工", "排水沟没挖通"),
        ),
    ),
    "基础设施": (
        Theme(
            (
                "{v}路灯损坏夜间照明不足",
                "{v}路灯坏了好几个月",
                "{v}晚上黑灯瞎火",
                "请修复{v}的路灯",
            ),
            (
                "{v}主路上的路灯{d}，晚上出门只能打手电，希望尽快维修。",
                "{v}的太阳能路灯{d}，冬天五点多天就黑了，学生放学很不安全。",
                "群众反映：{v}路灯{d}，夜间出行存在安全隐患，建议明确管护单位及时维修。",
            ),
            ("十盏有七盏不亮", "坏了大半年", "白天亮晚上不亮", "被车撞倒了没人扶"),
        ),
        Theme(
            (
                "{v}排水沟堵塞雨天积水",
                "{v}一下雨就积水",
                "{v}排水不畅家里进水",
                "建议疏通{v}排水沟",
            ),
            (
                "{v}的排水沟{d}，一下大雨路上积水能到膝盖，一楼住户家里进水。",
                "每次下雨{v}都淹，{d}，电动车开过去就熄火。",
                "群众反映：{v}排水设施{d}，雨季内涝严重，建议疏浚并改造排水管网。",
            ),
            ("被垃圾和淤泥堵死了", "被填平盖了门面", "管道太细", "多年没有清理"),
        ),
        Theme(
            (
                "{v}村级文化广场设施老化",
                "{v}广场健身器材坏了",
                "{v}文化广场没人维护",
                "建议更新{v}广场设施",
            ),
            (
                "{v}文化广场上的健身器材{d}，小孩在上面玩很危险，希望维修更换。",
                "{v}广场{d}，晚上跳舞散步的人多，希望修一修。",
                "群众反映：{v}村级文化广场设施{d}，建议纳入维护计划。",
            ),
            ("坏了一大半", "螺丝松了晃得厉害", "只有两盏灯", "地砖碎了好几块"),
        ),
    ),
}

#: The first title of every theme, by category (what the earlier seeds' templates said).
CATEGORIES: dict[str, tuple[str, ...]] = {
    category: tuple(theme.titles[0] for theme in themes) for category, themes in THEMES.items()
}
#: Categories of the livelihood problems a liaison station can get solved.
LIVELIHOOD: tuple[str, ...] = ("饮水安全", "道路交通", "基础设施")

#: Topics planted over several villages: one matter, told differently from each village.
TOPICS: dict[str, tuple[str, Theme]] = {
    "bridge": (
        "基础设施",
        Theme(
            (
                "{t}镇区老石桥桥墩开裂",
                "去{t}街上的老桥裂了",
                "{t}老石桥成了危桥",
                "关于{t}老石桥危桥改造的建议",
                "{v}出行必经的老桥下沉了",
                "老石桥桥面下沉请尽快检测",
            ),
            (
                "{v}去{t}街上必须过那座老石桥，这个月桥墩出现明显裂缝，桥面也往下沉，每天校车和拉粮车都从上面过，太危险了。",
                "{v}村民反映：连接本村和{t}镇区的老石桥桥墩开裂、桥面下沉，是好几个村出行的必经之路，请尽快检测并限制重车通行。",
                "我们{v}的人进{t}都走那座老石桥，现在桥墩裂开好大一条缝，还天天有大车过，真怕哪天塌了。",
                "{v}等几个村进镇都走这座老石桥，桥墩裂缝越来越大，建议先限制重车，尽快纳入危桥改造重建计划。",
                "{t}的老石桥这个月裂得更厉害了，{v}的孩子天天坐校车从桥上过，家长都睡不着觉，请交通部门赶紧来看看。",
                "老石桥是{v}到{t}的唯一通道，现在桥墩开裂、栏杆松动，建议检测后尽快加固或重建。",
            ),
        ),
    ),
    "wages": (
        "劳动就业",
        Theme(
            (
                "城南安置房工地拖欠农民工工资",
                "安置房项目欠我们工资四个月了",
                "农民工讨薪无门请求帮助",
                "城南安置房工地老板跑了工资没着落",
                "安置房工地拖欠工资",
            ),
            (
                "{v}好几个人在城南安置房工地干活，工资已经四个月没发了，包工头说开发商没给钱，我们都等着钱过年。",
                "我们{v}有七八个人在城南那个安置房项目上干木工，四个月没拿到钱了，开发商和包工头互相推，请帮我们讨薪。",
                "{v}村民反映：本村多名村民在城南安置房建设项目务工，被拖欠工资四个月，涉及金额十余万元，恳请人社部门督促支付。",
                "{v}好几个人在城南安置房工地干钢筋活，干了四个多月一分钱没拿到，现在包工头电话都打不通了，工资找谁要？",
                "在城南安置房工地打工的{v}人都说工资被拖欠四个月了，眼看快过年，家家都等着这笔钱，请劳动监察大队介入。",
            ),
        ),
    ),
    "bus": (
        "道路交通",
        Theme(
            (
                "{v}那趟K8路城乡公交怎么突然停了",
                "{v}的K8路公交取消了出行困难",
                "请求恢复途经{v}的K8路城乡公交",
                "K8路停运后孩子上学没车坐",
                "K8路城乡公交停运老人进城看病难",
            ),
            (
                "{v}原来有一趟K8路城乡公交到城里，这个月突然停了，也没有通知，现在老人去医院只能打车，一趟好几十块。",
                "听说公交公司把经过{v}的K8路城乡公交取消了，村里很多老人不会开车，去城里看病买药都成问题，请恢复这条线路。",
                "{v}村民反映：途经本村的K8路城乡公交自本月起停运，村民进城就医、学生返校均受影响，请交通运输部门说明原因并尽快恢复。",
                "{v}的K8路公交这个月停运了，孩子在城里上高中，周末回家没车，家长只能骑电动车来回跑几十公里，希望恢复这趟公交。",
                "K8路城乡公交停了以后，{v}的老人进城看病只能求人捎，希望交通部门尽快恢复这趟车。",
            ),
        ),
    ),
    "allowance": (
        "养老服务",
        Theme(
            (
                "{v}高龄津贴几个月没发",
                "{v}老人的高龄津贴拖欠",
                "高龄津贴怎么好几个月都没发",
                "{v}高龄津贴延迟发放",
            ),
            (
                "{v}八十岁以上的老人高龄津贴已经好几个月没发了，以前都是每月按时到账，问村里说上面还没拨下来。",
                "{v}村民反映：本村高龄老人的高龄津贴未按时发放，已拖欠好几个月，请民政部门核实并尽快发放。",
                "我家老奶奶在{v}，高龄津贴往常每个月都到卡上，这好几个月没发了，村里好几个老人都一样，到底怎么回事？",
                "{v}老人们都在问高龄津贴的事，好几个月没发放了，也没有任何通知说明原因，希望尽快发放到位。",
            ),
        ),
    ),
    "subsidence": (
        "基础设施",
        Theme(
            (
                "{v}采煤沉陷区房屋开裂",
                "{v}房子墙裂了住着害怕",
                "采煤沉陷房屋裂缝越来越大",
                "请尽快安排{v}沉陷区搬迁",
            ),
            (
                "{v}在采煤沉陷区，家家房子墙上都裂了缝，越来越大，住着提心吊胆，希望尽快实施搬迁或者加固。",
                "{v}村民反映：受采煤影响，本村多户房屋出现裂缝、地面下沉，请有关部门鉴定并落实沉陷区治理。",
                "俺们{v}的房子墙裂得能塞进手指头，院子也往下陷，下雨天更怕，盼着早点给个说法。",
                "{v}地面沉陷，房屋开裂，老人孩子晚上都不敢在屋里睡，请把我们村列入沉陷区搬迁计划。",
            ),
        ),
    ),
}


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


_SUFFIXES = (
    "社区居民委员会",
    "村民委员会",
    "居民委员会",
    "社区居委会",
    "村委会",
    "居委会",
    "委员会",
)


def _write(theme: Theme, wording: random.Random, village: str, township: str) -> tuple[str, str]:
    title = wording.choice(theme.titles)
    body = wording.choice(theme.bodies)
    detail = wording.choice(theme.details)
    fill = {"v": village, "t": township, "d": detail}
    return title.format(**fill), body.format(**fill)


def issue_text(
    rng: random.Random,
    village: str,
    categories: tuple[str, ...] = (),
    *,
    key: str = "",
) -> tuple[str, str, str]:
    """A (category, title, body) triple for a village's short name.

    ``rng`` (the dataset's stream) picks the category and the theme, as the seeds always drew
    them; the wording comes from a stream seeded by ``key`` (the issue's id) and the village.
    """
    category = rng.choice(categories or tuple(THEMES))
    theme = THEMES[category][rng.randrange(len(THEMES[category]))]
    wording = random.Random(f"{key}|{village}|{category}")
    title, body = _write(theme, wording, village, "")
    return category, title, body


def topic_text(topic: str, n: int, village: str, township: str) -> tuple[str, str, str]:
    """The ``n``-th report of a planted topic from a village: (category, title, body); the
    ``n``-th report takes the ``n``-th wording, so the reports of a topic differ."""
    category, theme = TOPICS[topic]
    title = theme.titles[n % len(theme.titles)]
    body = theme.bodies[n % len(theme.bodies)]
    fill = {"v": village, "t": township, "d": ""}
    return category, title.format(**fill), body.format(**fill)


def random_time(rng: random.Random, start: dt.date, end: dt.date) -> dt.datetime:
    """A working-hours time between ``start`` and ``end`` (China Standard Time)."""
    day = start + dt.timedelta(days=rng.randrange((end - start).days))
    tz = dt.timezone(dt.timedelta(hours=8))
    return dt.datetime(
        day.year, day.month, day.day, rng.randint(8, 17), rng.randrange(60), tzinfo=tz
    )


def short_township(name: str) -> str:
    """``钱集镇`` -> ``钱集``, ``顺河街道`` -> ``顺河`` (how villagers name their township)."""
    for suffix in ("街道办事处", "街道", "镇", "乡"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def pick(seq: Sequence[str], n: int, seed: str) -> list[str]:
    """``n`` items of ``seq`` drawn by a stream of their own (``seed``), in ``seq``'s order."""
    chosen = set(random.Random(seed).sample(list(seq), n))
    return [item for item in seq if item in chosen]
