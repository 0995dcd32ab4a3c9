"""Two persons whose data was read, for the "谁查看了我的数据" tests (client and browser)."""

from __future__ import annotations

from data_warehouse.models import Person
from data_warehouse.services import consent_record, grant_create, warehouse_read

HANDLER = "JWC.enrollment_certificate"
OWN_UID, OTHER_UID = "2023010101", "2023010102"


def _read(uid: str, purpose: str, ref: str) -> None:
    consent_record(
        person_uid=uid,
        handler_key=HANDLER,
        application_ref=ref,
        item_keys=["person.name"],
        purpose=purpose,
    )
    warehouse_read(
        person_uid=uid,
        item_keys=["person.name"],
        handler_key=HANDLER,
        application_ref=ref,
        purpose=purpose,
        actor="plugin:" + HANDLER,
    )


def reads_of_two_people_create() -> None:
    """One consented, logged read of each person: "APP-OWN" and "APP-OTHER"."""
    Person.objects.create(uid=OWN_UID, name="张晓明")
    Person.objects.create(uid=OTHER_UID, name="王小红")
    grant_create(handler_key=HANDLER, item_key="person.name", purpose="开具证明", granted_by="s")
    _read(OWN_UID, "开具在读证明", "APP-OWN")
    _read(OTHER_UID, "别人的证明", "APP-OTHER")
