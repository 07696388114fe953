"""The attendance commands' shapes: W1 warnings, the bare demands list, text output, refusals."""
import datetime as dt

from tests.factories import terms_toml, write

FUTURE = terms_toml(code="F-31", start=dt.date(2031, 1, 1), end=dt.date(2031, 12, 31))


def test_a_year_the_calendar_does_not_cover_is_warned_about_in_the_summary_and_on_stderr(cli, tmp_path):
    assert cli("contract", "load", write(tmp_path / "f.toml", FUTURE)).exit_code == 0
    cli("ingest", "staff", write(tmp_path / "s.csv", "staff_id,name,contract,department,hired_on\n"
                                                     "Z1,张,F-31,受理科,2030-01-01\n"))
    summary = cli("attendance", "summary", "F-31", "--month", "2031-03", "--json").json()
    assert len(summary["warnings"]) == 1 and "2031" in summary["warnings"][0]
    assert summary["staff"][0]["scheduled_days"] == 21   # Monday to Friday
    listed = cli("demands", "F-31", "--as-of", "2031-12-31", "--json")
    assert listed.exit_code == 0
    assert isinstance(listed.json(), list) and listed.json()[0]["reason"] == "no_signin"
    assert "2031" in listed.stderr


def test_no_demand_is_an_empty_list(cli, loaded_contract):
    result = cli("demands", loaded_contract, "--json")
    assert result.exit_code == 0 and result.json() == [] and result.stderr == ""


def test_the_text_forms_print_a_table(cli, loaded_contract, tmp_path):
    cli("ingest", "staff", write(tmp_path / "s.csv", "staff_id,name,contract,department,hired_on\n"
                                                     "A1,张,T-1,受理科,2020-01-01\n"))
    text = cli("attendance", "summary", "T-1", "--month", "2024-02")
    # February 2024: 21 weekdays − 5 Spring Festival days + Sundays 4 and 18 = 18 working days × 390
    assert text.exit_code == 0 and "\nA1\t18\t7020\t0\t" in text.stdout
    demands = cli("demands", "T-1", "--as-of", "2024-03-01")
    assert demands.exit_code == 0
    assert demands.stdout.splitlines()[1:] == ["2024-02-01\tA1\t整月未签到\t2024-02-16\t\t",
                                               "2024-03-01\tA1\t整月未签到\t2024-03-16\t\t"]


def test_a_bad_as_of_date_is_refused(cli, loaded_contract):
    assert cli("demands", loaded_contract, "--as-of", "2024-02-30", "--json").exit_code == 2


def test_db_may_be_given_after_demands_for_both_forms(cli, loaded_contract, db_url):
    assert cli("demands", "--db", db_url, loaded_contract, "--json", db=False).json() == []
    waive = cli("demands", "--db", db_url, "waive", loaded_contract, "X", "no_signin", "--raised-on", "2024-02-01",
                "--why", "x", db=False)
    assert waive.exit_code == 2 and "没有这条替换要求" in waive.stderr
    assert "waive" in cli("demands", "--help").stdout
