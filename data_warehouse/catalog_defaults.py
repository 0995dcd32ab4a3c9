"""The data catalog a fresh install starts with (stewards edit it in the admin).

(key, label, owner office code, sensitivity, source). ID-card numbers are highly sensitive.
"""

DEFAULT_ITEMS = [
    ("person.name", "姓名", "XXZX", "internal", "统一身份认证"),
    ("person.gender", "性别", "XXZX", "internal", "统一身份认证"),
    ("person.id_card_number", "身份证件号码", "XXZX", "highly_sensitive", "统一身份认证"),
    ("person.email", "电子邮箱", "XXZX", "internal", "统一身份认证"),
    ("student.number", "学号", "JWC", "public", "教务系统"),
    ("student.school", "学院", "JWC", "public", "教务系统"),
    ("student.major", "专业", "JWC", "public", "教务系统"),
    ("student.class", "班级", "JWC", "internal", "教务系统"),
    ("student.degree_level", "学历层次", "JWC", "internal", "教务系统"),
    ("student.grade_year", "年级", "JWC", "internal", "教务系统"),
    ("student.status", "学籍状态", "JWC", "internal", "教务系统"),
    ("student.dormitory", "宿舍", "HQC", "sensitive", "宿舍管理系统"),
    ("student.photo", "证件照", "JWC", "sensitive", "教务系统"),
    ("staff.number", "工号", "RSC", "public", "人事系统"),
    ("staff.unit", "所在单位", "RSC", "public", "人事系统"),
    ("staff.post", "岗位", "RSC", "internal", "人事系统"),
    ("staff.title", "职称", "RSC", "internal", "人事系统"),
    ("staff.status", "在职状态", "RSC", "internal", "人事系统"),
    ("staff.hire_date", "入职日期", "RSC", "internal", "人事系统"),
]


def data_catalog_seed(apps=None) -> None:
    """Create the default items that do not exist yet (idempotent)."""
    if apps is None:
        from django.apps import apps as django_apps

        apps = django_apps
    data_item = apps.get_model("data_warehouse", "DataItem")
    for key, label, owner, sensitivity, source in DEFAULT_ITEMS:
        data_item.objects.get_or_create(
            key=key,
            defaults={
                "label": label,
                "owner_office_code": owner,
                "sensitivity": sensitivity,
                "source": source,
            },
        )
