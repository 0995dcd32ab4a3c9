"""Fixed vocabularies of the service guide (DESIGN.md §5).

Each choice maps a stable code (stored) to a translatable label. ``LIST_LABELS`` give the
Chinese wording used in micro-power lists, which the importer accepts.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MatterType(models.TextChoices):
    APPROVAL = "approval", _("Approval")
    CONFIRMATION = "confirmation", _("Confirmation")
    CERTIFICATE = "certificate", _("Certificate")
    SERVICE = "service", _("Service")
    FILING = "filing", _("Filing")
    PAYMENT = "payment", _("Payment")
    OTHER = "other", _("Other")


MATTER_TYPE_LIST_LABELS = {
    "审批": MatterType.APPROVAL,
    "确认": MatterType.CONFIRMATION,
    "证明": MatterType.CERTIFICATE,
    "服务": MatterType.SERVICE,
    "备案": MatterType.FILING,
    "给付": MatterType.PAYMENT,
    "其他": MatterType.OTHER,
}


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    MOBILE = "mobile", _("Mobile")
    KIOSK = "kiosk", _("Self-service kiosk")
    WINDOW = "window", _("Service window")
    POST = "post", _("Post")


CHANNEL_LIST_LABELS = {
    "网上": Channel.WEB,
    "网上办理": Channel.WEB,
    "掌上": Channel.MOBILE,
    "掌上办理": Channel.MOBILE,
    "移动端": Channel.MOBILE,
    "自助终端": Channel.KIOSK,
    "自助机": Channel.KIOSK,
    "窗口": Channel.WINDOW,
    "现场": Channel.WINDOW,
    "邮寄": Channel.POST,
    "快递": Channel.POST,
}


class MaterialSource(models.TextChoices):
    APPLICANT = "applicant", _("Provided by the applicant")
    WAREHOUSE = "warehouse", _("Shared from the data warehouse")
    OFFICE = "office", _("Issued by the office")


class MaterialForm(models.TextChoices):
    ORIGINAL = "original", _("Original")
    COPY = "copy", _("Copy")
    ELECTRONIC = "electronic", _("Electronic")


class DeliveryMode(models.TextChoices):
    ELECTRONIC = "electronic", _("Electronic")
    LOCKER = "locker", _("Pickup locker")
    POST = "post", _("Post")
    WINDOW = "window", _("Collect at the window")


class OnlineDepth(models.IntegerChoices):
    INFORMATION = 1, _("1 · Information online")
    FORMS = 2, _("2 · Forms downloadable, appointment online")
    APPLICATION = 3, _("3 · Apply online, result or check in person")
    FULLY_ONLINE = 4, _("4 · Fully online")
