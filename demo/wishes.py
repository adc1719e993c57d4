"""Demo micro-wishes of Lujiazui Street's five areas, played through the wish services.

Each wish is recorded by its area's secretary and taken to its state step by step, days apart,
by the same services the pages use; the law-enforcement team's claims are made by its liaison
(login ``chengguan``). A wish already present (same area and title) is left as it is, so running
the loader again adds nothing. Residents, volunteers, phones and addresses are invented.
"""

import datetime

from django.utils import timezone

from governance.models import Organization
from residents.models import ResidentialArea, Street, User
from wishes import services
from wishes.models import Wish, WishCategory, WishStatus

C = WishCategory
S = WishStatus
LIAISON_UNIT = "陆家嘴街道城管执法中队"

# area slug, public title, category, public text, final state, days ago, days wanted,
# resident (name, phone, address: private), claimer (a unit's name, or ("person", name)),
# claimer's phone, thanks or withdrawal reason
WISHES = [
    (
        "laosan",
        "想要一副带坐凳的助行器",
        C.MOBILITY_AIDS,
        "独居的老人腿脚不便，下楼买菜走一段就要歇一歇，希望有一副能随时坐下休息的助行器。",
        S.THANKED,
        70,
        30,
        ("陈桂英", "13900010001", "崂山三村7号楼201室"),
        "陆家嘴社区卫生服务中心",
        "13900020001",
        "助行器很好用，现在每天都能下楼走一走了，谢谢卫生服务中心的医生们！",
    ),
    (
        "laosan",
        "厨房水龙头一直滴水",
        C.SMALL_REPAIRS,
        "老房子的厨房水龙头关不紧，夜里滴答声不断，老人自己不会修，希望有人上门换个阀芯。",
        S.FULFILLED,
        40,
        20,
        ("刘福生", "13900010002", "崂山三村3号楼402室"),
        "崂三平安志愿者队",
        "13900020002",
        "",
    ),
    (
        "laosan",
        "周末有人陪下象棋",
        C.VISITS,
        "一位退休老师喜欢下象棋，子女在外地，希望周末能有人来陪他下两盘、聊聊天。",
        S.CLAIMED,
        20,
        60,
        ("黄启明", "13900010003", "崂山三村10号楼101室"),
        ("person", "周建华"),
        "13900020003",
        "",
    ),
    (
        "laosan",
        "一台大字按键的老人手机",
        C.DAILY_NECESSITIES,
        "老人原来的手机字太小看不清，想要一台字大、声音响、能一键拨号的老人机。",
        S.PUBLISHED,
        6,
        40,
        ("何秀兰", "13900010004", "崂山三村5号楼302室"),
        None,
        "",
        "",
    ),
    (
        "laosan",
        "阳台晾衣架需要加固",
        C.SMALL_REPAIRS,
        "阳台晾衣架有一侧松动，担心衣服掉下楼砸到人，希望有人帮忙加固。",
        S.SUBMITTED,
        2,
        30,
        ("孙永康", "13900010005", "崂山三村2号楼601室"),
        None,
        "",
        "",
    ),
    (
        "shixin",
        "孩子想要一套课外读物",
        C.LEARNING,
        "一名小学四年级学生爱看书，家里条件有限，希望得到一套适合这个年龄的课外读物。",
        S.THANKED,
        90,
        30,
        ("马晓燕", "13900010006", "市新小区15号楼503室"),
        "浦江银行陆家嘴支行",
        "13900020004",
        "孩子收到书高兴坏了，每天放学先读一章，感谢银行的叔叔阿姨！",
    ),
    (
        "shixin",
        "楼道口的扶手松了",
        C.SMALL_REPAIRS,
        "单元门口台阶旁的扶手一端松脱，腿脚不便的邻居进出时不敢扶，希望能修一修。",
        S.FULFILLED,
        35,
        14,
        ("高德胜", "13900010007", "市新小区8号楼102室"),
        LIAISON_UNIT,
        "13900020005",
        "",
    ),
    (
        "shixin",
        "学用智能手机挂号",
        C.LEARNING,
        "几位老人想学用手机预约挂号和扫码付款，希望有年轻人来手把手教几次。",
        S.CLAIMED,
        15,
        45,
        ("林淑珍", "13900010008", "浦城公寓3号楼1204室"),
        "浦江银行陆家嘴支行",
        "13900020006",
        "",
    ),
    (
        "shixin",
        "冬天需要一床厚棉被",
        C.DAILY_NECESSITIES,
        "老人家的被子用了很多年，已经不保暖了，希望入冬前能有一床新的厚棉被。",
        S.PUBLISHED,
        4,
        25,
        ("罗金凤", "13900010009", "市新小区11号楼203室"),
        None,
        "",
        "",
    ),
    (
        "shixin",
        "想要一把轻便的折叠轮椅",
        C.MOBILITY_AIDS,
        "老人术后需要定期去医院复查，家人希望有一把能放进出租车后备箱的折叠轮椅。",
        S.WITHDRAWN,
        30,
        20,
        ("谢国华", "13900010010", "市新小区6号楼404室"),
        None,
        "",
        "家属已通过医保辅具租赁解决，撤回心愿。",
    ),
    (
        "ruwu",
        "卫生间装一根安全扶手",
        C.MOBILITY_AIDS,
        "老人起身时容易头晕，卫生间马桶旁没有可以扶的地方，希望装一根防滑扶手。",
        S.THANKED,
        60,
        21,
        ("唐美玲", "13900010011", "乳山五村1号楼301室"),
        "陆家嘴街道妇女联合会",
        "13900020007",
        "装好扶手后家里人放心多了，谢谢妇联的志愿者上门帮忙！",
    ),
    (
        "ruwu",
        "每周有人陪聊一会儿",
        C.VISITS,
        "一位高龄独居老人话不多，但很盼着有人来坐坐，希望每周有人上门陪她说说话。",
        S.FULFILLED,
        45,
        30,
        ("冯玉珍", "13900010012", "乳山五村3号楼502室"),
        ("person", "许晓燕"),
        "13900020008",
        "",
    ),
    (
        "ruwu",
        "换一个亮一点的楼道灯",
        C.SMALL_REPAIRS,
        "家门口的楼道灯光线很暗，晚上回家看不清台阶，希望换成感应的亮灯。",
        S.CLAIMED,
        12,
        30,
        ("邓建华", "13900010013", "乳山五村5号楼402室"),
        LIAISON_UNIT,
        "13900020009",
        "",
    ),
    (
        "ruwu",
        "一台家用血压计",
        C.DAILY_NECESSITIES,
        "患高血压的老人需要每天量血压，家里的血压计坏了，希望有一台新的电子血压计。",
        S.PUBLISHED,
        5,
        30,
        ("曾丽华", "13900010014", "乳山五村4号楼101室"),
        None,
        "",
        "",
    ),
    (
        "ruwu",
        "旧电视需要调台",
        C.OTHER,
        "换了机顶盒以后电视收不到常看的频道，老人自己弄不明白，希望有人来帮忙设置。",
        S.SUBMITTED,
        1,
        14,
        ("彭志刚", "13900010015", "乳山五村2号楼203室"),
        None,
        "",
        "",
    ),
    (
        "dongyi",
        "想要一副老花镜",
        C.DAILY_NECESSITIES,
        "老人原来的眼镜摔坏了，看报纸、看药盒说明都很吃力，希望配一副合适的老花镜。",
        S.THANKED,
        80,
        30,
        ("蔡秀英", "13900010016", "东园一村22号楼305室"),
        "陆家嘴社区卫生服务中心",
        "13900020010",
        "配了眼镜又能看报纸了，感谢医生们专门上门验光！",
    ),
    (
        "dongyi",
        "门锁老化需要更换",
        C.SMALL_REPAIRS,
        "家里的防盗门锁经常打不开，老人担心被锁在门外，希望帮忙换一把新锁。",
        S.FULFILLED,
        28,
        14,
        ("潘家乐", "13900010017", "东园一村9号楼102室"),
        LIAISON_UNIT,
        "13900020011",
        "",
    ),
    (
        "dongyi",
        "陪同去医院复诊",
        C.VISITS,
        "老人每月要去医院复诊，子女上班走不开，希望有志愿者能陪同前往。",
        S.PUBLISHED,
        3,
        35,
        ("袁德明", "13900010018", "东园一村14号楼601室"),
        None,
        "",
        "",
    ),
    (
        "dongyi",
        "孩子想学画画",
        C.LEARNING,
        "一名小学生很喜欢画画，希望能有一套水彩颜料和画本，再有人教一教就更好了。",
        S.WITHDRAWN,
        25,
        30,
        ("蒋小红", "13900010019", "东园一村5号楼203室"),
        None,
        "",
        "学校美术兴趣班已提供画具，家长申请撤回。",
    ),
    (
        "dongyi",
        "一个带靠背的洗澡凳",
        C.MOBILITY_AIDS,
        "老人洗澡时站不稳，希望有一个带靠背、防滑的洗澡凳。",
        S.SUBMITTED,
        1,
        21,
        ("魏长林", "13900010020", "东园一村18号楼402室"),
        None,
        "",
        "",
    ),
    (
        "renheng",
        "学几句英语和邻居打招呼",
        C.LEARNING,
        "一位老人想和小区里的外籍邻居聊上几句，希望有人教她日常问候的英语。",
        S.THANKED,
        75,
        45,
        ("沈慧芳", "13900010021", "仁恒滨江园3号楼1502室"),
        "地球村志愿服务社",
        "13900020012",
        "现在见到外国邻居能打招呼了，谢谢地球村的老师！",
    ),
    (
        "renheng",
        "纱窗破了需要修补",
        C.SMALL_REPAIRS,
        "卧室的纱窗破了个洞，夏天蚊子多，老人自己够不着，希望有人帮忙换纱网。",
        S.FULFILLED,
        30,
        20,
        ("韦国强", "13900010022", "仁恒滨江园6号楼802室"),
        "地球村志愿服务社",
        "13900020013",
        "",
    ),
    (
        "renheng",
        "节日里有人一起包饺子",
        C.VISITS,
        "一对空巢老人说过节最想热闹一点，希望节日里有人来家里一起包饺子。",
        S.CLAIMED,
        10,
        50,
        ("孟庆丰", "13900010023", "仁恒滨江园1号楼603室"),
        "陆家嘴街道妇女联合会",
        "13900020014",
        "",
    ),
    (
        "renheng",
        "一个能放药的分格药盒",
        C.DAILY_NECESSITIES,
        "老人每天要吃好几种药，经常记不清吃没吃，希望有一个按早中晚分格的药盒。",
        S.PUBLISHED,
        3,
        20,
        ("蒋玉梅", "13900010024", "仁恒滨江园5号楼201室"),
        None,
        "",
        "",
    ),
    (
        "renheng",
        "换一个好用的淋浴喷头",
        C.SMALL_REPAIRS,
        "家里的淋浴喷头出水忽大忽小，老人洗澡不方便，希望换一个新的。",
        S.WITHDRAWN,
        18,
        20,
        ("钟立新", "13900010025", "仁恒滨江园2号楼1001室"),
        None,
        "",
        "物业已上门免费维修，心愿撤回。",
    ),
]
FULFILMENT_NOTE = "已上门完成，老人表示满意。"
# The path of steps to each final state.
PATHS = {
    S.SUBMITTED: [],
    S.PUBLISHED: [S.PUBLISHED],
    S.CLAIMED: [S.PUBLISHED, S.CLAIMED],
    S.FULFILLED: [S.PUBLISHED, S.CLAIMED, S.FULFILLED],
    S.THANKED: [S.PUBLISHED, S.CLAIMED, S.FULFILLED, S.THANKED],
    S.WITHDRAWN: [S.PUBLISHED, S.WITHDRAWN],
}
# Days after recording at which each step is taken.
STEP_DAYS = {S.PUBLISHED: 1, S.CLAIMED: 3, S.FULFILLED: 10, S.THANKED: 13, S.WITHDRAWN: 5}


def load(street: Street, stdout_write=lambda message: None) -> int:
    """Record the demo wishes that are missing and play them to their states."""
    now = timezone.now()
    areas = {a.slug: a for a in ResidentialArea.objects.filter(street=street)}
    secretaries = {u.username: u for u in User.objects.filter(username__in=areas)}
    liaison = User.objects.get(username="chengguan")
    units = {o.name: o for o in Organization.objects.filter(street=street)}
    created = 0
    for (
        slug,
        title,
        category,
        text,
        final,
        days_ago,
        days_wanted,
        resident,
        claimer,
        contact,
        closing,
    ) in WISHES:
        area = areas[slug]
        if Wish.objects.filter(area=area, title=title).exists():
            continue
        secretary = secretaries[slug]
        recorded_at = now - datetime.timedelta(days=days_ago)
        wish = services.wish_record(
            actor=secretary,
            area=area,
            category=category,
            title=title,
            text=text,
            wanted_by=timezone.localtime(recorded_at).date() + datetime.timedelta(days=days_wanted),
            resident_name=resident[0],
            resident_phone=resident[1],
            resident_address=resident[2],
            created_at=recorded_at,
        )
        created += 1
        unit = units.get(claimer) if isinstance(claimer, str) else None
        # The team's own liaison claims and reports its wishes; the secretary records the rest.
        claimer_user = liaison if claimer == LIAISON_UNIT else secretary
        for step in PATHS[final]:
            at = recorded_at + datetime.timedelta(days=STEP_DAYS[step])
            if step == S.PUBLISHED:
                wish = services.wish_publish(wish=wish, actor=secretary, at=at)
            elif step == S.CLAIMED:
                wish = services.wish_claim(
                    wish=wish,
                    actor=claimer_user,
                    organization=unit,
                    person_name="" if unit else claimer[1],
                    contact=contact,
                    at=at,
                )
            elif step == S.FULFILLED:
                wish = services.wish_fulfil(
                    wish=wish, actor=claimer_user, note=FULFILMENT_NOTE, at=at
                )
            elif step == S.THANKED:
                wish = services.wish_thank(wish=wish, actor=secretary, note=closing, at=at)
            elif step == S.WITHDRAWN:
                wish = services.wish_withdraw(wish=wish, actor=secretary, reason=closing, at=at)
    stdout_write(
        f"  {created} new micro-wishes ({Wish.objects.filter(street=street).count()} in all)"
    )
    return created
