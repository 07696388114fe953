"""hallmon contract load: versions of terms, refusals naming the key."""
from sqlalchemy import select

from hallmon.roster.models import Contract, ContractVersion
from tests.factories import terms_toml, write


def test_loading_a_contract_creates_version_1(cli, terms_file, session):
    result = cli("contract", "load", terms_file, "--json")
    assert result.exit_code == 0
    assert result.json() == {"contract": "T-1", "version": 1, "created": True, "changed": False, "warnings": []}
    contract = session.scalar(select(Contract))
    assert (contract.code, contract.contractor, str(contract.total_fee)) == ("T-1", "测试人力资源有限公司", "1200000.00")


def test_loading_the_same_terms_again_adds_no_version(cli, terms_file, session):
    cli("contract", "load", terms_file)
    result = cli("contract", "load", terms_file, "--json")
    assert result.json()["version"] == 1 and result.json()["changed"] is False
    assert len(session.scalars(select(ContractVersion)).all()) == 1


def test_changed_terms_make_a_new_version_and_keep_the_old(cli, terms_file, tmp_path, session):
    cli("contract", "load", terms_file)
    changed = write(tmp_path / "t1b.toml", terms_toml(billing={"deduction_cap": "0.20"}))
    result = cli("contract", "load", changed, "--json")
    assert result.json()["version"] == 2 and result.json()["changed"] is True
    versions = session.scalars(select(ContractVersion).order_by(ContractVersion.version)).all()
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].terms().billing.deduction_cap == versions[0].terms().billing.deduction_cap.__class__("0.30")
    contract = session.scalar(select(Contract))
    assert str(contract.terms().billing.deduction_cap) == "0.20"


def test_invalid_terms_exit_2_naming_each_key_and_write_nothing(cli, tmp_path, session):
    bad = write(tmp_path / "bad.toml", terms_toml(total_fee=1200000.0, attendance={"grace": 5}))
    result = cli("contract", "load", bad)
    assert result.exit_code == 2
    assert "total_fee" in result.stderr and "attendance.grace: 未知的键" in result.stderr
    assert session.scalar(select(Contract)) is None
