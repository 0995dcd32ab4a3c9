from __future__ import annotations

import pytest

from data_warehouse.masking import mask_text, mask_value


@pytest.mark.parametrize(
    ("value", "masked"),
    [("330106200501011234", "3301**********1234"), ("张晓明", "张**"), ("a", "*"), ("", "")],
)
def test_mask_text(value, masked):
    assert mask_text(value) == masked


def test_only_sensitive_levels_are_masked():
    assert mask_value("软件工程", "public") == "软件工程"
    assert mask_value("软件工程", "internal") == "软件工程"
    assert mask_value("紫金港 5 舍 301", "sensitive") == "紫金港 5 舍 301"[0] + "*" * 10
    assert mask_value("330106200501011234", "highly_sensitive", unmasked=True).endswith("1234")
