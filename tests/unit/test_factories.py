"""tests/factories.py: the base contract's TOML is the contract the tests assume, and overrides land where asked."""
import datetime as dt
import tomllib
from decimal import Decimal

import pytest

from hallmon.contract import TermsError, load_terms_text
from tests.factories import terms_toml

BASE_CONTRACT = """\
code = "T-1"
name = "测试合同"
contractor = "测试人力资源有限公司"
start = 2024-01-01
end = 2024-12-31
total_fee = "1200000.00"
headcount = 10

[schedule]
sessions = [["08:30", "12:00"], ["14:30", "17:30"]]
"""


def test_terms_toml_is_the_base_contract():
    assert load_terms_text(terms_toml()).to_document() == load_terms_text(BASE_CONTRACT).to_document()


def test_overrides_replace_top_level_keys_and_merge_into_tables():
    t = load_terms_text(terms_toml(code="B-1", schedule={"grace_minutes": 10}, billing={"unenforced_fine": "500.00"}))
    assert (t.code, t.schedule.grace_minutes, t.billing.unenforced_fine) == ("B-1", 10, Decimal("500.00"))
    expected = load_terms_text(BASE_CONTRACT.replace('"T-1"', '"B-1"') + 'grace_minutes = 10\n'
                               '[billing]\nunenforced_fine = "500.00"\n').to_document()
    assert t.to_document() == expected                  # the sessions are kept; nothing else moves


def test_values_are_written_as_toml_values():
    text = terms_toml(name='引号 " 反斜杠 \\ 换行 \n', start=dt.date(2024, 3, 1),
                      attendance={"missing_punch_counts_as_absent": True},
                      assessment={"bands": [[90, "1.00"], [0, "0.70"]], "base_score": 100.5},
                      complaints={"hotline_workdays": {"consult": 3}})
    assert tomllib.loads(text) == {
        "code": "T-1", "name": '引号 " 反斜杠 \\ 换行 \n', "contractor": "测试人力资源有限公司",
        "start": dt.date(2024, 3, 1), "end": dt.date(2024, 12, 31), "total_fee": "1200000.00", "headcount": 10,
        "schedule": {"sessions": [["08:30", "12:00"], ["14:30", "17:30"]]},
        "attendance": {"missing_punch_counts_as_absent": True},
        "assessment": {"bands": [[90, "1.00"], [0, "0.70"]], "base_score": 100.5},
        "complaints": {"hotline_workdays": {"consult": 3}},
    }


def test_none_removes_a_key():
    with pytest.raises(TermsError) as refused:
        load_terms_text(terms_toml(headcount=None))
    assert refused.value.messages == ["headcount: 缺少必填项"]
