"""Demo party-building brands of Lujiazui Street: 仁恒's 「最美地球村」 and 乳五's 「八心精神」.

Brands and their actions are created or updated in place; activities are recorded through the
same service the brand page uses, by the area's secretary, and one already present (same brand
and title) is left as it is, so running the loader again adds nothing.
"""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from brands import services
from brands.models import Brand, BrandAction, BrandActivity
from governance.models import Organization
from residents.models import ResidentialArea, Street, User

BRANDS = [
    {
        "area": "renheng",
        "organization": "仁恒居民区党支部",
        "slug": "zuimei-diqiucun",
        "name": "最美地球村",
        "motto": "中外邻里同住一村，以五个“美”凝聚国际化社区。",
        "started_on": datetime.date(2019, 7, 1),
        "description": (
            "仁恒滨江园住着来自几十个国家和地区的居民。党支部以“最美地球村”为品牌，"
            "把党员、志愿者和中外居民组织起来，让大家在同一个社区里彼此认识、相互帮助。\n\n"
            "品牌分为五项行动，每一项都有固定的志愿团队和每月的活动安排。"
        ),
        "actions": [
            ("和谐美", "调解邻里之间的小摩擦，定期举办中外邻居见面会，让新住户尽快融入。"),
            ("风采美", "请党员和各国居民讲述自己的故事，展示社区里的好人好事。"),
            ("素养美", "开设垃圾分类、文明养宠和中文学习小课堂，提升大家的公共素养。"),
            ("文化美", "在传统节日组织包饺子、写春联等活动，也请外籍居民分享本国文化。"),
            ("公益美", "组织中外志愿者参与助老、环保和社区清洁，把善意落到行动上。"),
        ],
        "activities": [
            # days ago, action, title, text, photo (colour) or None
            (
                20,
                "文化美",
                "中秋共做月饼",
                "二十多户中外家庭一起学做月饼，外籍居民介绍了家乡的团圆习俗。",
                (196, 30, 58),
            ),
            (
                75,
                "公益美",
                "滨江步道清洁行动",
                "党员带领志愿者沿滨江步道捡拾垃圾，并向散步的居民宣传垃圾分类。",
                (30, 110, 60),
            ),
            (
                130,
                "素养美",
                "垃圾分类双语小课堂",
                "用中英文讲解四类垃圾的投放方法，现场答疑并发放双语指引卡。",
                None,
            ),
            (
                210,
                "和谐美",
                "新住户见面会",
                "邀请近半年入住的中外住户与楼组长见面，介绍社区服务和议事渠道。",
                None,
            ),
            (
                300,
                None,
                "品牌年度交流会",
                "回顾一年来五项行动的开展情况，听取居民对下一年活动的建议。",
                None,
            ),
        ],
    },
    {
        "area": "ruwu",
        "organization": "乳五居民区党总支",
        "slug": "baxin-jingshen",
        "name": "八心精神",
        "motto": "党建做到楼组里，八颗“心”温暖每一户居民。",
        "started_on": datetime.date(2020, 9, 1),
        "description": (
            "乳五居民区把党建工作延伸到楼组，由楼组党小组带头，"
            "用八个“心”概括党员和志愿者在楼组里要做的事。\n\n"
            "每个楼组党小组认领其中几项，按月记录开展情况，年底在居民区里交流。"
        ),
        "actions": [
            ("爱心奉献他人", "党员带头结对帮扶困难家庭，在力所能及处伸出援手。"),
            ("欢心相聚楼组", "每季度办一次楼组茶话会，让同楼的邻居坐下来聊一聊。"),
            ("尽心服务居民", "楼组长和党员值守家门口服务点，代办代跑日常事务。"),
            ("美心优化环境", "组织清理楼道堆物、美化楼道和绿地，保持楼组整洁。"),
            ("热心探望邻里", "定期上门看望独居、生病的邻居，发现困难及时反映。"),
            ("同心建设社区", "动员居民参与小区议事和改造方案讨论，共同出主意。"),
            ("孝心关爱老人", "为高龄老人提供陪诊、助餐和节日慰问。"),
            ("用心倾听民声", "楼组党小组每月收集居民意见，梳理后报居民区党总支跟进。"),
        ],
        "activities": [
            (
                12,
                "孝心关爱老人",
                "重阳节上门慰问高龄老人",
                "各楼组党小组分头看望八十岁以上老人，送上重阳糕并了解近况。",
                (200, 120, 20),
            ),
            (
                45,
                "美心优化环境",
                "3号楼楼道整治",
                "党员和楼组志愿者一起清理楼道杂物，重新张贴了消防提示。",
                None,
            ),
            (
                100,
                "用心倾听民声",
                "楼组议事会收集停车意见",
                "1号楼议事会汇总了十余条停车建议，已交居委会和物业研究。",
                None,
            ),
            (
                160,
                "欢心相聚楼组",
                "5号楼夏日茶话会",
                "邻居们自带点心相聚，楼组长介绍了夏季用电安全常识。",
                None,
            ),
            (
                250,
                "热心探望邻里",
                "独居老人结对探望",
                "为六位独居老人各安排一名党员结对，约定每周至少上门一次。",
                None,
            ),
            (
                330,
                None,
                "“八心精神”年度分享会",
                "各楼组党小组交流一年来的做法，评选出三个示范楼组。",
                None,
            ),
        ],
    },
]


def _drawn_photo(colour: tuple[int, int, int], name: str) -> SimpleUploadedFile:
    """A simple drawn picture standing in for a photo: sky, ground and a sun."""
    image = Image.new("RGB", (640, 400), (225, 236, 246))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 270, 640, 400), fill=colour)
    draw.ellipse((470, 50, 570, 150), fill=(250, 200, 60))
    for left in (80, 200, 320):
        draw.rectangle((left, 180, left + 80, 270), fill=(245, 245, 240), outline=(90, 90, 90))
        draw.polygon([(left - 10, 180), (left + 40, 140), (left + 90, 180)], fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def load(street: Street, stdout_write=lambda message: None) -> None:
    today = timezone.localdate()
    areas = {area.slug: area for area in ResidentialArea.objects.filter(street=street)}
    for spec in BRANDS:
        area = areas[spec["area"]]
        brand, _created = Brand.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                "area": area,
                "organization": Organization.objects.get(street=street, name=spec["organization"]),
                "name": spec["name"],
                "motto": spec["motto"],
                "description": spec["description"],
                "started_on": spec["started_on"],
                "is_public": True,
            },
        )
        actions = {}
        for order, (name, description) in enumerate(spec["actions"], start=1):
            actions[name], _created = BrandAction.objects.update_or_create(
                brand=brand, order=order, defaults={"name": name, "description": description}
            )
        secretary = User.objects.get(username=spec["area"])
        added = 0
        for days_ago, action, title, text, colour in spec["activities"]:
            if BrandActivity.objects.filter(brand=brand, title=title).exists():
                continue
            services.brand_activity_record(
                brand=brand,
                actor=secretary,
                date=today - datetime.timedelta(days=days_ago),
                title=title,
                text=text,
                action=actions[action] if action else None,
                photo=_drawn_photo(colour, "photo.jpg") if colour else None,
                photo_alt=f"{title}（示意图）" if colour else "",
            )
            added += 1
        stdout_write(f"  brand {brand.slug}: {len(actions)} actions, {added} activities added")
