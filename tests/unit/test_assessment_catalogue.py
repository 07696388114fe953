"""The assessment catalogue file: the default one, validation naming the key, and a faithful round trip."""
from decimal import Decimal

import pytest

from hallmon.assessment.catalogue import (
    CatalogueEntry,
    CatalogueError,
    default_catalogue,
    parse_catalogue,
    render_catalogue,
)

ONE = """
[[item]]
code = "LG"
name = "离岗/串岗"
kind = "deduction"
points = -1
"""


def refusal(text: str) -> list[str]:
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(text)
    return caught.value.messages


def test_the_default_catalogue_holds_the_items_a_centre_scores():
    names = {e.name: e for e in default_catalogue()}
    for name in ("离岗/串岗", "迟到早退", "着装仪容", "服务态度", "业务差错", "延时服务不到位", "好差评差评",
                 "投诉属实", "卫生", "人员配置不合理"):
        assert names[name].kind == "deduction" and names[name].points < 0, name
    for name in ("锦旗", "表扬信", "上门服务", "延时服务"):
        assert names[name].kind == "bonus" and names[name].points > 0, name
    assert "COMPLAINT" not in {e.code for e in names.values()}


def test_a_minimal_item_is_read():
    assert parse_catalogue(ONE) == [CatalogueEntry("LG", "离岗/串岗", "deduction", Decimal(-1), None)]


def test_kinds_may_be_written_in_chinese_and_points_as_strings():
    text = ONE.replace('"deduction"', '"扣分"').replace("-1", '"-0.25"')
    assert parse_catalogue(text)[0].points == Decimal("-0.25")


def test_render_then_parse_gives_the_same_items():
    items = default_catalogue() + [CatalogueEntry("X\"1", "带\"引号\"的名称", "bonus", Decimal("0.0001"), "多行\n说明")]
    assert parse_catalogue(render_catalogue(items)) == items


def test_unknown_keys_are_refused_naming_the_key():
    assert refusal("title = 'x'\n" + ONE + "colour = 'red'\n") == [
        "title: 未知的键（目录只含 [[item]] 项目）",
        "item[1]（LG）.colour: 未知的键（可用：code、name、kind、points、description）",
    ]


def test_missing_keys_are_refused_naming_the_key():
    assert refusal("[[item]]\ncode = \"LG\"\n") == [
        "item[1]（LG）.name: 缺少必填项", "item[1]（LG）.kind: 缺少必填项", "item[1]（LG）.points: 缺少必填项"]


def test_an_empty_catalogue_is_refused():
    assert refusal("") == ["item: 缺少考核项目（至少一个 [[item]]）"]


def test_duplicate_codes_are_refused():
    assert refusal(ONE + ONE) == ["item[2]（LG）.code: 项目代码 LG 重复：与 item[1] 相同"]


def test_the_complaint_code_is_reserved():
    messages = refusal(ONE.replace('"LG"', '"COMPLAINT"'))
    assert len(messages) == 1 and messages[0].startswith("item[1]（COMPLAINT）.code: COMPLAINT 保留")


def test_points_must_agree_with_the_kind():
    assert refusal(ONE.replace("-1", "1")) == ["item[1]（LG）.points: 扣分项目的分值应为负数，而不是 1"]
    assert refusal(ONE.replace("-1", "0")) == ["item[1]（LG）.points: 扣分项目的分值应为负数，而不是 0"]
    bonus = ONE.replace('"deduction"', '"bonus"')
    assert refusal(bonus) == ["item[1]（LG）.points: 加分项目的分值应为正数，而不是 -1"]


def test_wrong_types_are_refused_naming_the_key():
    text = ONE.replace('"离岗/串岗"', "12").replace("-1", "true").replace('"deduction"', '"minus"')
    assert refusal(text) == [
        "item[1]（LG）.name: 应为非空字符串",
        "item[1]（LG）.kind: 应为 \"deduction\"（扣分）或 \"bonus\"（加分），而不是 'minus'",
        "item[1]（LG）.points: 应为数字，而不是布尔值",
    ]


def test_points_keep_at_most_four_decimals():
    assert refusal(ONE.replace("-1", "-0.12345")) == ["item[1]（LG）.points: 最多 4 位小数：-0.12345"]


def test_a_file_that_is_not_toml_is_refused():
    messages = refusal("[[item]\ncode = ")
    assert len(messages) == 1 and messages[0].startswith("不是有效的 TOML")
