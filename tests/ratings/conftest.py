from tests.delivery.conftest import approved, english, every_mode  # noqa: F401  (fixtures)
from tests.workbench.conftest import (  # noqa: F401  (fixtures)
    applicant,
    handler,
    jwc_staff,
    student,
    xgb_head,
    xgb_staff,
)
