"""The command line: --db everywhere, JSON alone on stdout, exit statuses 0 / 2 / 1, init, users."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from hallmon.auth.models import User

ROOT = Path(__file__).resolve().parents[2]


def test_db_may_be_given_before_or_after_the_subcommand(cli, db_url, terms_file):
    assert cli("contract", "load", terms_file, "--db", db_url, db=False).exit_code == 0
    assert cli("--db", db_url, "contract", "load", terms_file, "--json", db=False).json()["version"] == 1


def test_init_is_idempotent(cli):
    first, second = cli("init"), cli("init")
    assert first.exit_code == second.exit_code == 0
    from hallmon.migrate import heads

    assert all(head in second.stdout for head in heads())


def test_user_add_hashes_the_password_and_binds_a_contractor(cli, session):
    result = cli("user", "add", "wang", "--role", "contractor", "--contractor", "某公司", "--password", "s3cret-pass")
    assert result.exit_code == 0
    user = session.scalar(select(User).where(User.username == "wang"))
    assert user.contractor == "某公司" and user.password_hash.startswith("scrypt:")
    assert "s3cret-pass" not in user.password_hash


def test_a_contractor_user_without_a_contractor_is_refused_with_exit_2(cli):
    result = cli("user", "add", "li", "--role", "contractor", "--password", "long-enough")
    assert result.exit_code == 2 and "--contractor" in result.stderr


def test_user_add_without_password_prints_a_generated_one(cli):
    result = cli("user", "add", "zhao", "--role", "finance")
    assert result.exit_code == 0 and "密码：" in result.stdout


def test_an_unknown_option_is_a_usage_error_with_exit_2(cli):
    assert cli("ingest", "staff").exit_code == 2


def test_the_installed_console_script_prints_only_json_on_stdout(db_url, terms_file):
    exe = Path(sys.executable).with_name("hallmon")
    env = {**os.environ, "HALLMON_DATABASE_URL": db_url}
    out = subprocess.run([str(exe), "contract", "load", str(terms_file), "--json"],
                         capture_output=True, text=True, env=env, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["contract"] == "T-1"


def test_an_empty_database_gets_its_schema_on_first_use(tmp_path, terms_file):
    from click.testing import CliRunner

    from hallmon.cli import main

    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    result = CliRunner().invoke(main, ["contract", "load", str(terms_file), "--db", url])
    assert result.exit_code == 0 and "创建数据库结构" in result.stderr


@pytest.mark.parametrize("args", [
    ["alerts", "--as-of", "2024-02-30"],
    ["assessment", "scores", "T-1", "--year", "2024", "--as-of", "昨天"],
    ["complaints", "stats", "T-1", "--from", "2024-13-01", "--to", "2024-06-30"],
    ["evaluation", "report", "T-1", "--year", "2024", "--as-of", "2024/02/30"],
    ["export", "assessment-report", "T-1", "--month", "2024-01", "--as-of", "31.01.2024"],
])
def test_every_date_option_refuses_an_impossible_date_by_its_name_with_exit_2(cli, loaded_contract, args):
    result = cli(*args)
    option = next(a for a in args if a in ("--as-of", "--from"))
    assert result.exit_code == 2
    assert f"{option} 应为日期 YYYY-MM-DD" in result.stderr


def test_a_sqlite_file_in_a_folder_that_does_not_exist_is_refused_not_created(tmp_path):
    from click.testing import CliRunner

    from hallmon.cli import main

    missing = tmp_path / "no-such-folder" / "hallmon.sqlite3"
    result = CliRunner().invoke(main, ["--db", f"sqlite:///{missing}", "settle", "B-1", "--month", "2024-03"])
    assert result.exit_code == 2
    assert "数据库文件所在的目录不存在" in result.stderr and str(missing.parent) in result.stderr
    assert not missing.parent.exists()
