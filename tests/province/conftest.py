from __future__ import annotations

from collections.abc import Iterator

import pytest

from campus_portal.common.page_cache import page_cache_clear
from tests.province.fake_province import FakeProvince, matter, serve


@pytest.fixture
def province(settings) -> Iterator[FakeProvince]:
    """The fake province, serving five matters in pages of two, and settings pointing at it."""
    fake = FakeProvince(
        matters=[
            matter("330000-GA-HJ-001", "集体户口迁移"),
            matter("330000-GA-JZZ-001", "居住证申领"),
            matter("330000-CRJ-001", "出入境证件签发", department="浙江省公安厅出入境管理局"),
            matter("330000-RS-SB-001", "社会保障卡申领", department="浙江省人力资源和社会保障厅"),
            matter("330000-GJJ-001", "住房公积金提取", audiences=["教职工"], app_url=""),
        ]
    )
    server = serve(fake)
    settings.PROVINCE_API_BASE_URL = fake.base_url
    settings.PROVINCE_API_TOKEN = fake.token
    settings.PROVINCE_API_PAGE_SIZE = 2
    settings.PROVINCE_API_TIMEOUT = 2
    settings.PROVINCE_LINK_HOSTS = ["zjzwfw.gov.cn", "zlb.zj.gov.cn"]
    page_cache_clear()
    yield fake
    server.shutdown()
    server.server_close()
