"""Demo forums, practices and news of Lujiazui Street, published through the services.

The secretary forum on the "1+3+N" model is drafted with its speeches, sent for review, confirmed
by the five secretaries with their own logins, approved and published by the street office; six
practices drawn from it and two news items go the same way. A second forum stays a draft, so the
demo shows that drafts are not public.

Text is written only while a record is a draft: once published, its text is frozen (a correction
would make a new version), so running the loader again changes nothing and adds no row. The
people are those of ``governance.demo``; the prose is the portal's own summary of the facts.
"""

import datetime
from zoneinfo import ZoneInfo

from forums import services
from forums.models import (
    Attendee,
    AttendeeRole,
    Forum,
    NewsItem,
    Practice,
    PublicationStatus,
    ReviewState,
    Speech,
    SpeechKind,
    Topic,
    Verdict,
)
from forums.models.publishing import Publishable
from governance.models import Case, Category
from residents.models import Person, ResidentialArea, Street, User

SHANGHAI = ZoneInfo("Asia/Shanghai")
S = PublicationStatus

# slug, name, English name
TOPICS = [
    ("old-compounds", "老旧小区治理", "Old-compound governance"),
    ("co-governance", "多元协同治理", "Multi-party co-governance"),
    ("party-partnerships", "党建联建", "Party-building partnerships"),
    ("building-groups", "楼组党建", "Party building in building groups"),
    ("joint-duty", "联勤联动", "Joint duty and response"),
    ("party-brands", "党建品牌", "Party-building brands"),
]

# Street-office people who appear in the forum; created without area or phone if missing.
STREET_OFFICE_PEOPLE = ["王云芝", "吴妹", "杜娟"]

FORUM = {
    "slug": "secretary-forum-1-3-n",
    "title": "陆家嘴街道“家门口”服务体系提质增能结伴同行书记论坛",
    "theme": "深入推进“1+3+N”多元协同治理格局",
    "starts_at": datetime.datetime(2020, 11, 20, 14, 0, tzinfo=SHANGHAI),
    "venue": "社区党群服务中心社区党校",
    "organiser": "陆家嘴街道党工委",
    "areas": ["laosan", "shixin", "ruwu", "dongyi", "renheng"],
    "topics": [slug for slug, _name, _name_en in TOPICS],
    "summary": """\
党的十九届五中全会闭幕后不久，街道党工委在社区党校召开了一场书记论坛，请崂三、市新、乳五、东一、仁恒五个居民区的党组织书记，围绕“1+3+N”多元协同治理各讲一段亲身经历。

“1+3+N”说的是：居民区党组织作为核心（“1”），把居委会、业委会、物业这“三驾马车”（“3”）拧成一股绳，再把驻区单位、社会组织、群众组织和志愿者等各方力量（“N”）请进来，一起办好居民家门口的事。社区党建办已把近年来的做法整理成一套工作措施，准备由街道统一推行。

五位书记各有侧重：**崂三**靠多方现场协调实现了钢瓶清零，又通过交叉任职让业委会重新担起责任；**市新**做实社区大党委，借驻区单位和城管执法的力量整治违建和楼道堆物；**乳五**把党小组建进楼组，在疫情防控中守住了每一栋楼；**东一**建强联勤联动站，问题派得准、办得快；**仁恒**以“最美地球村”品牌带动中外居民参与社区事务。

街道将认真吸收书记们的意见，完善“1+3+N”工作措施，让这些做法在更多居民区落地，形成可复制推广的陆家嘴经验。
""",
}

# role, name, affiliation as shown on the day
ATTENDEES = [
    (AttendeeRole.HOST, "吴妹", "街道党工委委员、办事处副主任"),
    (AttendeeRole.OFFICIAL, "王云芝", "街道党工委副书记"),
    (AttendeeRole.GUEST, "金桥", "上海大学社会学院副教授"),
]

# In the order they were given. "area" is an area slug; the speaker is the person of that name
# (in that area, or in the street office when the area is None).
SPEECHES = [
    {
        "kind": SpeechKind.PRESENTATION,
        "speaker": "杜娟",
        "post": "社区党建办",
        "area": None,
        "title": "“1+3+N”系列工作措施梳理情况",
        "subtitle": "",
        "body": """\
这几年，街道各居民区一直在摸索“1+3+N”的协同治理办法：居民区党组织居中牵头，居委会、业委会、物业三方合力，驻区单位、社会组织、群众组织等多方一起参与服务与治理。

今年，社区党建办把各居民区的做法逐项梳理、归纳提炼，形成了一套“1+3+N”系列工作措施，准备从街道层面统一设计，让居民区在加强党建引领、提升服务与治理水平时有章可循、有据可依。

今天发言的五个居民区，都在这一格局形成的过程中结合自身实际做出了成效。五位书记将各选一个重点，谈经验和体会，也提思考和建议。
""",
    },
    {
        "kind": SpeechKind.SPEECH,
        "speaker": "赵子正",
        "post": "党总支书记",
        "area": "laosan",
        "title": "多元协同参与",
        "subtitle": "破解小区治理难题",
        "body": """\
**难题**：崂山三村是典型的老旧小区，液化气钢瓶、垃圾混堆点和业委会履职不到位，这三件事困扰居民多年，单靠哪一方都解决不了。

**做法**：
- 党总支牵头，请各相关部门到现场一起协调，集中资源、找准突破口，逐户推进，最终实现“钢瓶清零”。
- 把小区里长期脏乱的角落改造成好看又好用的多功能活动区，由居民参与、自我管理。
- 推动交叉任职：党总支委员和支部党员进入业委会，以停车管理和应急管理为抓手，让业委会把服务、监督和协调的作用发挥出来。

**成效**：居民用气更方便，小区最大的安全隐患消除了；业委会班子更有责任感，也更能凝聚业主。

**体会**：老旧小区的难题，要靠党组织把三驾马车拧成一股绳；交叉任职是我们局面转变的关键。
""",
    },
    {
        "kind": SpeechKind.SPEECH,
        "speaker": "李娟",
        "post": "党总支书记",
        "area": "shixin",
        "title": "党建引领联建",
        "subtitle": "建设美丽家园",
        "body": """\
**难题**：市新是老式小区，违章搭建、楼道堆物等问题需要执法力量，党课、场地和志愿服务等资源也不够，居民区单靠自己难以应对。

**做法**：做实社区大党委制，请驻区单位的同志担任兼职副书记、兼职委员，和区域单位结对联建，让资源双向流动。
- 借城管执法的力量，推进文明城区创建、违章建筑拆除和楼道堆物整治；
- 借区域单位的力量，共享党课资源，建设自治花园，帮助居民实现“微心愿”。

**成效**：社区与驻区单位有来有往、资源共享，小区更安全规范、管理更有序、环境更优美，邻里之间也更有温度。
""",
    },
    {
        "kind": SpeechKind.SPEECH,
        "speaker": "沈庆",
        "post": "党总支书记",
        "area": "ruwu",
        "title": "党建引领展风采",
        "subtitle": "融入楼组现成效",
        "body": """\
**做法**：乳五党总支把党的组织建到楼组，形成全覆盖的组织网络。
- 疫情来袭时，把楼组党小组和楼组包干结合起来，形成“群防群控楼组党建”机制，党员分楼包户、带头值守。
- 借创建文明城区的契机，以睦邻楼组为起点，开展“睦邻之家·文明楼组”创建，让党员在楼组里服务、在楼组里出力、在楼组里作表率。

**八心精神**：爱心奉献他人、欢心相聚楼组、尽心服务居民、美心优化环境、热心探望邻里、同心建设社区、孝心关爱老人、用心倾听民声。

**成效**：楼组党建在疫情防控和文明创建这两场硬仗中经受住了检验，品牌的影响从楼组扩展到整个居民区，党员群众一起把共建共治共享的格局做得更实。
""",
    },
    {
        "kind": SpeechKind.SPEECH,
        "speaker": "周海侠",
        "post": "党总支书记",
        "area": "dongyi",
        "title": "联勤联动助力治理",
        "subtitle": "提质增能打造家园",
        "body": """\
**理念**：东一党总支始终从居民的需求出发，盯住问题、看重效果，用党建引领社区共治。

**做法**：
- 发挥楼组党建的优势，织密联勤联动的前端网络，问题在楼组里就能被发现；
- 用好公共数据，让联勤联动更智能；
- 深化社区自治共治，把社会力量凝聚到联勤联动中来；
- 建强社区联勤联动站，让多元主体形成合力。

**成效**：处置效率大大提高，社区矛盾得到及时化解，居民切实感受到家门口服务带来的便利，满意度和幸福感都提升了。
""",
    },
    {
        "kind": SpeechKind.SPEECH,
        "speaker": "唐佳",
        "post": "党支部书记",
        "area": "renheng",
        "title": "打造有活力的党建品牌",
        "subtitle": "提升基层党建水平",
        "body": """\
**背景**：仁恒居民区住着许多外籍居民，被称为“小小联合国”，是典型的国际化社区。

**做法**：党支部推出“最美地球村”家园行动，围绕一个“美”字开展五大行动：和谐美、风采美、素养美、文化美、公益美。家园行动为居民自治共治搭起了平台，请中外居民一起商量、一起参与。

**成效**：行动启动以来成效明显，外籍居民参与社区事务的潜能被不断激发出来。

**下一步**：按照街道推进党建品牌创建的实施方案，优化“最美地球村”行动计划，在“一支部一品牌”的基础上，打造有示范作用、能长期发挥效用的旗舰品牌。
""",
    },
    {
        "kind": SpeechKind.CLOSING,
        "speaker": "王云芝",
        "post": "街道党工委副书记",
        "area": None,
        "title": "深化“1+3+N”，形成可复制推广的陆家嘴经验",
        "subtitle": "",
        "body": """\
- 以这次书记论坛为契机，学习贯彻党的十九届五中全会精神，落实构建“社会治理共同体”和建设“人民城市”的要求，把“1+3+N”多元协同治理格局推向深入，为“十四五”开好局、起好步打下基础。
- “1+3+N”系列工作措施形成制度后，将为居民区加强党建引领基层治理提供制度安排。党建部门会认真梳理、充分吸纳大家的意见和建议，让各项措施更接地气、更好操作。
- 希望各居民区结合当前和下一阶段的重点任务，把基础工作做细做实，把特色工作做亮出彩，共同形成可复制推广的陆家嘴经验。
""",
    },
]

# A replicable practice: area slug, topics, the case categories it solves and the cases it comes
# from ((category, preferred title or None): the area's first case of that category otherwise).
PRACTICES = [
    {
        "slug": "lpg-cylinders-cleared-laosan",
        "area": "laosan",
        "title": "多部门现场协调，老旧小区液化气钢瓶清零",
        "summary": "崂山三村由居民区党总支牵头，把各相关部门请到现场一起协调、逐户推进，让困扰多年的液化气钢瓶全部清零。",
        "problem": """\
崂山三村是老旧小区，不少住户还在用液化气钢瓶做饭。钢瓶的搬运、存放和使用都有安全隐患，换气也不方便。这件事牵涉燃气接入、物业管理和居民意愿，哪一方单独出面都推不动。
""",
        "actions": """\
- 居民区党总支牵头，把居委会、物业、业委会和相关部门请到现场，当面摆问题、分任务。
- 集中各方资源，先找准突破口，从条件成熟的楼栋做起，再带动其他住户。
- 逐户排摸钢瓶数量，上门讲解燃气安全，协调接入管道燃气，回收钢瓶并登记。
- 用“液化气钢瓶在用数”这一指标按月记录进度，让各方都看得见变化。
""",
        "results": """\
崂山三村实现“钢瓶清零”：居民用气更方便，小区消除了一处重大安全隐患。各方坐到一起解决问题的经验，也为整治小区其他乱点打下了基础。
""",
        "categories": ["液化气钢瓶"],
        "cases": [("液化气钢瓶", "崂山三村液化气钢瓶清零")],
        "topics": ["old-compounds", "co-governance"],
    },
    {
        "slug": "cross-appointment-owners-committee",
        "area": "laosan",
        "title": "党组织成员交叉任职，激活业委会",
        "summary": "崂三居民区让党总支委员和支部党员进入业委会任职，以停车管理和应急管理为抓手，让业委会担起服务、监督和协调的职责。",
        "problem": """\
崂山三村的业委会一度履职不到位：会开得少，事情推不动，业主对它缺少信任，停车等老问题长期没人牵头。
""",
        "actions": """\
- 推动交叉任职：党总支委员和支部党员进入业委会，把党组织的要求和方法带进业委会。
- 选停车管理和应急管理这两件居民最关心的事作为抓手，由业委会牵头拿方案、听意见。
- 党总支和居委会定期与业委会碰头，督促按期开会、及时公示。
""",
        "results": """\
业委会班子的责任感和号召力明显增强，重新在小区事务中发挥服务、监督和协调作用。崂三把交叉任职看作小区治理局面转变的关键。
""",
        "categories": ["业委会履职", "停车管理", "应急管理"],
        "cases": [("业委会履职", None)],
        "topics": ["old-compounds", "co-governance"],
    },
    {
        "slug": "building-party-groups-epidemic",
        "area": "ruwu",
        "title": "楼组党小组融入楼组包干，群防群控",
        "summary": "乳五居民区把楼组党小组和楼组包干结合起来，疫情来时由党员带头守好每一栋楼。",
        "problem": """\
疫情防控要求排查、宣传和服务落到每家每户，居委会几名工作人员忙不过来，楼组里的情况也需要有人随时掌握。
""",
        "actions": """\
- 乳五党总支先把党组织建到楼组，形成全覆盖的楼组党小组网络。
- 疫情期间，楼组党小组与楼组包干责任合在一起，形成“群防群控楼组党建”机制：党员分楼包户，上门排查、传递信息、照应有困难的邻居。
- 平时结合文明城区创建，以睦邻楼组为起点开展“睦邻之家·文明楼组”创建，用“八心精神”凝聚楼组居民。
""",
        "results": """\
楼组党建在疫情防控和文明创建中经受住了检验，党员在楼组里服务、在楼组里作表率。楼组党小组也成了日常处理楼道堆物等小事的第一道力量。
""",
        "categories": ["应急管理", "楼道堆物"],
        "cases": [("楼道堆物", "乳山五村3号楼楼道堆物")],
        "topics": ["building-groups"],
    },
    {
        "slug": "joint-duty-station-dongyi",
        "area": "dongyi",
        "title": "社区联勤联动站：把问题及时派给能解决的一方",
        "summary": "东一居民区依托楼组网络和公共数据建强联勤联动站，问题发现得早、派得准，处置效率明显提高。",
        "problem": """\
社区里的问题常常同时牵涉物业、居委会、执法和专业单位。居民反映后不知道该找谁，事情转来转去耽误时间，小矛盾容易拖成大矛盾。
""",
        "actions": """\
- 以楼组党建为基础，织密联勤联动的前端网络，问题在楼组层面就能发现和上报。
- 用好公共数据，让派单、跟踪和提醒更智能。
- 把居民自治力量和社会力量凝聚到联勤联动中来。
- 由联勤联动站统一受理、统一派单，每件事明确牵头方和协办方。
""",
        "results": """\
多元主体形成合力，处置效率大大提高，矛盾得到及时化解，居民对家门口的服务更满意、更有幸福感。
""",
        "categories": ["停车管理", "应急管理"],
        "cases": [("停车管理", "东园一村非机动车乱停放")],
        "topics": ["joint-duty", "building-groups"],
    },
    {
        "slug": "community-party-committee-shixin",
        "area": "shixin",
        "title": "做实社区大党委，驻区单位同志任兼职副书记",
        "summary": "市新居民区请驻区单位的同志担任党总支兼职副书记、兼职委员，借城管执法和区域单位的力量共建美丽家园。",
        "problem": """\
市新是老式小区，违章搭建、楼道堆物等问题需要执法力量才能解决；党课、场地和志愿者等资源也不足，居民区单靠自己难以应对。
""",
        "actions": """\
- 做实社区大党委制，充实兼职副书记、兼职委员，与区域单位签订党建联建协议，写明双方各自提供什么。
- 借城管执法的力量，推进文明城区创建、违章建筑拆除和楼道堆物整治。
- 借区域单位的力量，共享党课资源，建设自治花园，帮助居民实现“微心愿”。
""",
        "results": """\
社区与驻区单位双向互动、资源共享，小区变得安全规范、管理有序、环境优美，也更有温度。
""",
        "categories": ["违法建筑", "楼道堆物"],
        "cases": [("违法建筑", "市新小区违章搭建拆除")],
        "topics": ["party-partnerships"],
    },
    {
        "slug": "global-village-five-actions",
        "area": "renheng",
        "title": "“最美地球村”五大行动，凝聚国际化社区",
        "summary": "仁恒居民区以“最美地球村”家园行动为党建品牌，通过和谐美、风采美、素养美、文化美、公益美五大行动，带动中外居民共同参与社区事务。",
        "problem": """\
仁恒是中外居民混居的国际化社区，有“小小联合国”之称。外籍居民语言、习惯各不相同，参与社区事务的渠道少，自治共治难以起步。
""",
        "actions": """\
- 党支部发起“最美地球村”家园行动，以“美”字统领，开展和谐美、风采美、素养美、文化美、公益美五大行动。
- 把家园行动作为居民自治共治的平台，邀请外籍居民参加议事，和中国邻居一起参与公共环境维护等志愿服务。
- 按照街道党建品牌创建方案优化行动计划，在“一支部一品牌”的基础上打造旗舰品牌。
""",
        "results": """\
家园行动启动后成效明显，外籍居民参与社区事务的热情被激发出来，居民自治共治有了稳定的平台。
""",
        "categories": ["垃圾混堆点"],
        "cases": [],
        "topics": ["party-brands"],
    },
]

NEWS = [
    {
        "slug": "secretary-forum-1-3-n-news",
        "title": "五位居民区书记同台交流“1+3+N”协同治理经验",
        "source": "陆家嘴党建",
        "dated": datetime.datetime(2020, 11, 20, 18, 0, tzinfo=SHANGHAI),
        "summary": "街道在社区党校举办书记论坛，崂三、市新、乳五、东一、仁恒五个居民区的书记分享了党建引领多元协同治理的做法。",
        # {forum_url} is filled in with the published forum's address.
        "body": """\
街道党工委在社区党群服务中心社区党校举办“家门口”服务体系提质增能结伴同行书记论坛，主题是深入推进“1+3+N”多元协同治理格局。论坛由街道党工委委员、办事处副主任吴妹主持，上海大学社会学院副教授金桥应邀出席。

社区党建办介绍了“1+3+N”系列工作措施的梳理情况，五位居民区书记分别讲了钢瓶清零与交叉任职、社区大党委、楼组党建、联勤联动站和“最美地球村”品牌。街道党工委副书记王云芝在总结时希望各居民区把基础工作做实、把特色工作做亮，形成可复制推广的陆家嘴经验。

[阅读论坛纪要和五位书记的发言]({forum_url})
""",
    },
    {
        "slug": "four-histories-exhibition",
        "title": "“四史”学习教育展在东岸·民生艺术码头开展，可线上预约",
        "source": "浦东党建",
        "dated": datetime.datetime(2020, 11, 25, 10, 0, tzinfo=SHANGHAI),
        "summary": "“守初心 担使命”——“四史”学习教育展在民生路3号东岸·民生艺术码头开展，展区近4000平方米，可通过“浦东党建”线上预约参观。",
        "body": """\
黄浦江边的东岸·民生艺术码头（民生路3号）原是一处老工业码头，如今成了学习党史、新中国史、改革开放史和社会主义发展史的好去处。“守初心 担使命”——“四史”学习教育展已在这里揭幕，展区面积近4000平方米。

展览由中共上海市浦东新区委员会、中共上海市委党校和中共上海市委党史研究室共同主办，用真理之门、石库门、天安门、国门这“四扇门”串起四个历史阶段，设有真理之光、传播马列、开天辟地、走向胜利、东方序曲、改革乐章、奋进新时代共7个展区，按时间顺序讲述党的故事、上海的故事和浦东的故事。

**怎样预约**
1. 在“浦东党建”微信公众号的互动功能中点击“约四史展”；
2. 或在“浦东党建网”首页点击“四史学习教育展”飘窗。
""",
    },
]

# The next forum, still being prepared: never sent for review, so never public.
DRAFT_FORUM = {
    "slug": "draft-forum-2021",
    "title": "书记论坛（第二期）：垃圾分类与老房加装电梯",
    "theme": "用“1+3+N”推动垃圾分类常态长效和老房加装电梯",
    "starts_at": datetime.datetime(2021, 4, 16, 14, 0, tzinfo=SHANGHAI),
    "venue": "社区党群服务中心社区党校",
    "organiser": "陆家嘴街道党工委",
    "areas": ["shixin", "dongyi"],
    "topics": ["old-compounds", "co-governance"],
    "summary": """\
（筹备中）第二期书记论坛拟聚焦垃圾分类和老房加装电梯两件居民关心的事，先请市新、东一两个居民区的书记交流。议程和发言稿仍在整理，未经审核前不对外公开。
""",
}
DRAFT_SPEECHES = [
    {
        "kind": SpeechKind.SPEECH,
        "speaker": "李娟",
        "post": "党总支书记",
        "area": "shixin",
        "title": "垃圾分类常态长效",
        "subtitle": "驻区单位志愿者参与定时定点值守（暂定）",
        "body": """\
（发言稿草稿，待书记补充）
- 定时定点投放后出现的新问题
- 驻区单位志愿者参与值守的安排
- 还需要街道协调的事项
""",
    },
    {
        "kind": SpeechKind.SPEECH,
        "speaker": "周海侠",
        "post": "党总支书记",
        "area": "dongyi",
        "title": "老房加装电梯",
        "subtitle": "联勤联动站协调邻里意见（暂定）",
        "body": """\
（发言稿草稿，待书记补充）
- 低层与高层住户意见不一时怎样协商
- 联勤联动站在施工期间的协调作用
- 加装电梯后的维护由谁负责
""",
    },
]

# The path a record takes to publication, one service call per step.
NEXT_STEP = {S.DRAFT: S.IN_REVIEW, S.IN_REVIEW: S.APPROVED, S.APPROVED: S.PUBLISHED}


def _load_topics() -> dict[str, Topic]:
    topics = {}
    for slug, name, name_en in TOPICS:
        topics[slug], _ = Topic.objects.update_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en}
        )
    return topics


def _street_office_people(street: Street) -> dict[str, Person]:
    """The street-office people of the forum: their records, created without contact data."""
    people = {}
    for name in STREET_OFFICE_PEOPLE:
        people[name] = Person.objects.filter(street=street, name=name, area=None).order_by(
            "pk"
        ).first() or Person.objects.create(street=street, name=name, area=None)
    return people


def _speaker(street: Street, name: str, area: ResidentialArea | None) -> Person | None:
    return Person.objects.filter(street=street, name=name, area=area).order_by("pk").first()


def _draft_record(model: type[Publishable], street: Street, slug: str, fields: dict):
    """The record with this slug; its text is (re)written only while it is a draft."""
    item = model.objects.filter(slug=slug).first()
    if item is None:
        item = model(street=street, slug=slug)
    elif item.status != S.DRAFT:
        return item
    for name, value in fields.items():
        setattr(item, name, value)
    item.full_clean()
    item.save()
    return item


def _load_forum(
    street: Street, data: dict, speeches: list[dict], areas: dict, topics: dict
) -> Forum:
    fields = {k: v for k, v in data.items() if k not in ("slug", "areas", "topics")}
    forum = _draft_record(Forum, street, data["slug"], fields)
    forum.areas.set([areas[slug] for slug in data["areas"]])
    forum.topics.set([topics[slug] for slug in data["topics"]])
    if forum.status != S.DRAFT:
        return forum
    for order, row in enumerate(speeches, start=1):
        area = areas[row["area"]] if row["area"] else None
        speech = forum.speeches.filter(order=order).first() or Speech(forum=forum, order=order)
        speech.kind = row["kind"]
        speech.speaker = _speaker(street, row["speaker"], area)
        speech.speaker_name = row["speaker"]
        speech.speaker_post = row["post"]
        speech.area = area
        speech.title = row["title"]
        speech.subtitle = row["subtitle"]
        speech.body = row["body"]
        speech.full_clean()
        speech.save()
    return forum


def _load_attendees(forum: Forum, people: dict[str, Person]) -> None:
    for order, (role, name, affiliation) in enumerate(ATTENDEES, start=1):
        Attendee.objects.update_or_create(
            forum=forum,
            name=name,
            defaults={
                "role": role,
                "affiliation": affiliation,
                "order": order,
                "person": people.get(name),
            },
        )


def _confirm_speeches(forum: Forum) -> int:
    """Each speaker with a login confirms the text of their speech."""
    confirmed = 0
    for speech in forum.speeches.filter(review_state=ReviewState.PENDING, speaker__isnull=False):
        reviewer = User.objects.filter(person=speech.speaker, is_active=True).first()
        if reviewer is None:
            continue
        services.speech_review(speech=speech, actor=reviewer, verdict=Verdict.CONFIRM)
        confirmed += 1
    return confirmed


def _publish(item: Publishable, actor: User) -> Publishable:
    """Take the record from where it is to published, one step at a time; a record already
    published (or withdrawn on purpose) is left as it is."""
    while item.status in NEXT_STEP:
        to = NEXT_STEP[item.status]
        if to == S.APPROVED and isinstance(item, Forum):
            _confirm_speeches(item)
        item = services.publication_transition(item=item, to=to, actor=actor)
    return item


def _source_case(area: ResidentialArea, category: str, title: str | None) -> Case | None:
    cases = Case.objects.filter(area=area, category__name=category).order_by("created_at", "pk")
    return (cases.filter(title=title).first() if title else None) or cases.first()


def _load_practices(
    street: Street, forum: Forum, areas: dict, topics: dict, admin: User
) -> list[Practice]:
    practices = []
    for row in PRACTICES:
        area = areas[row["area"]]
        practice = _draft_record(
            Practice,
            street,
            row["slug"],
            {
                "area": area,
                "title": row["title"],
                "summary": row["summary"],
                "problem": row["problem"],
                "actions": row["actions"],
                "results": row["results"],
            },
        )
        practice.categories.set(Category.objects.filter(name__in=row["categories"]))
        practice.speeches.set(forum.speeches.filter(area=area, kind=SpeechKind.SPEECH))
        cases = [_source_case(area, category, title) for category, title in row["cases"]]
        practice.cases.set([case for case in cases if case is not None])
        practice.topics.set([topics[slug] for slug in row["topics"]])
        practices.append(_publish(practice, admin))
    return practices


def _load_news(street: Street, forum: Forum, admin: User) -> list[NewsItem]:
    items = []
    for row in NEWS:
        fields = {k: v for k, v in row.items() if k != "slug"}
        fields["body"] = fields["body"].replace("{forum_url}", forum.get_absolute_url())
        items.append(_publish(_draft_record(NewsItem, street, row["slug"], fields), admin))
    return items


def load(street: Street, stdout_write=lambda message: None) -> None:
    """Create the demo forums, practices and news, and publish all but the draft forum."""
    admin = User.objects.get(username="admin")
    areas = {area.slug: area for area in ResidentialArea.objects.filter(street=street)}
    topics = _load_topics()
    people = _street_office_people(street)

    forum = _load_forum(street, FORUM, SPEECHES, areas, topics)
    _load_attendees(forum, people)
    forum = _publish(forum, admin)
    stdout_write(f"  {len(topics)} topics; forum {forum.slug}: {forum.speeches.count()} speeches")

    practices = _load_practices(street, forum, areas, topics, admin)
    news = _load_news(street, forum, admin)
    draft = _load_forum(street, DRAFT_FORUM, DRAFT_SPEECHES, areas, topics)
    stdout_write(
        f"  {len(practices)} practices, {len(news)} news items, "
        f"draft forum {draft.slug} ({draft.get_status_display()})"
    )
