"""Default vocabularies: audiences of 105号, browsing topics and common search synonyms.

Seeded by a data migration and by ``vocabularies_seed()`` (idempotent), which tests that flush
the database call again. Universities extend them in the admin.
"""

from __future__ import annotations

AUDIENCES = [
    ("undergraduate", "本科生"),
    ("graduate", "研究生"),
    ("staff", "教职工"),
    ("alumni", "校友"),
    ("external", "校外人员"),
]

TOPICS = [
    ("certificates", "证明开具", "证明,成绩单,推荐表,票据"),
    ("study", "学籍学业", "学籍,转专业,缓考,免修,学分,辅修,考试,学位,答辩,导师,毕业,学生证,教室"),
    ("aid", "资助就业", "助学,奖学金,困难,勤工,就业,报到证,档案,贷款"),
    ("finance", "财务报销", "报销,缴纳,收费,借款,减免,纳税,经费"),
    ("research", "科研学术", "科研,项目,成果,学术,查新,论文,仪器"),
    ("life", "后勤生活", "宿舍,住宿,报修,周转房,退宿,校园卡,医疗,体检,病假,请假,留校,心理"),
    ("hr", "人事服务", "入职,退休,职务,在职,收入,人事,子女"),
    ("security", "户籍安保", "户口,通行证,入校"),
    ("international", "出国出境", "出国,签证,外籍,交流"),
    ("it", "网络信息", "密码,VPN,云主机,统一身份"),
    ("party", "党团事务", "党员,团员,组织关系,志愿"),
    ("admin", "行政事务", "公章,介绍信,固定资产,馆际,图书"),
]

SYNONYMS = [
    ("在学证明", "在读证明"),
    ("学籍证明", "在读证明"),
    ("在校证明", "在读证明"),
    ("成绩证明", "成绩单"),
    ("一卡通", "校园卡"),
    ("饭卡", "校园卡"),
    ("工作证明", "在职证明"),
    ("报账", "报销"),
    ("休学复学", "学籍异动"),
    ("挂失", "校园卡挂失"),
    ("落户", "户口迁入"),
    ("迁户口", "户口迁"),
    ("出国", "出国（境）"),
]


def vocabularies_seed(apps=None) -> None:
    """Create the default audiences, topics and synonyms that do not exist yet."""
    if apps is None:
        from django.apps import apps as django_apps

        apps = django_apps
    audience = apps.get_model("catalog", "Audience")
    topic = apps.get_model("catalog", "Topic")
    synonym = apps.get_model("catalog", "SearchSynonym")
    for order, (code, name) in enumerate(AUDIENCES):
        audience.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})
    for order, (slug, name, keywords) in enumerate(TOPICS):
        topic.objects.get_or_create(
            slug=slug, defaults={"name": name, "keywords": keywords, "sort_order": order}
        )
    for term, canonical in SYNONYMS:
        synonym.objects.get_or_create(term=term, defaults={"canonical": canonical})
