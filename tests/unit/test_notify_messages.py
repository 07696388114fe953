"""What a notification says and how each channel writes it; the notification config and its refusals."""
import ast
import datetime as dt
import re
from pathlib import Path

import pytest

from hallmon.notify import messages as M
from hallmon.notify.config import NotifyConfigError, parse_config

MINIMAL_SMTP = '''
[smtp]
host = "smtp.example.gov.cn"
port = 465
security = "ssl"
sender = "hallmon@example.gov.cn"
username = "hallmon@example.gov.cn"
password = "s3cret-pass"
'''


def test_a_minimal_config_of_each_channel_is_read_with_the_defaults():
    config = parse_config(MINIMAL_SMTP + '''
[robots."大厅群"]
type = "wecom"
webhook = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx"

[robots."财务群"]
type = "dingtalk"
webhook = "https://oapi.dingtalk.com/robot/send?access_token=abcdef123456"
secret = "SEC0123456789"
''')
    assert (config.smtp.host, config.smtp.port, config.smtp.security, config.smtp.username) == (
        "smtp.example.gov.cn", 465, "ssl", "hallmon@example.gov.cn")
    assert sorted(config.robots) == ["大厅群", "财务群"] and config.robots["财务群"].secret == "SEC0123456789"
    assert (config.delivery.max_attempts, config.delivery.backoff_seconds, config.digest_time) == (6, 60, dt.time(8, 30))
    # secrets never show in a repr (logs) and are blanked out of any error text
    assert "s3cret" not in repr(config) and "693a91f6" not in repr(config) and "SEC0" not in repr(config)
    assert config.redact("POST https://oapi.dingtalk.com/robot/send?access_token=abcdef123456 failed") == \
        "POST *** failed"
    assert config.redact("login s3cret-pass refused; token abcdef123456") == "login *** refused; token ***"


@pytest.mark.parametrize("text, named", [
    ("[smtp]\nhost = \"h\"\n", "smtp.sender：缺少必填项"),
    (MINIMAL_SMTP + "colour = 1\n", "smtp.colour：未知的配置项"),
    (MINIMAL_SMTP.replace('"ssl"', '"tls"'), "smtp.security：应为 ssl、starttls、none 之一"),
    (MINIMAL_SMTP.replace("465", '"465"'), "smtp.port：类型不对"),
    (MINIMAL_SMTP.replace('password = "s3cret-pass"\n', ""), "smtp.username / smtp.password"),
    ('[robots.a]\ntype = "slack"\nwebhook = "https://x"\n', "robots.a.type：应为 wecom、dingtalk 之一"),
    ('[robots.a]\ntype = "wecom"\nwebhook = "ftp://x"\n', "robots.a.webhook：应为 http:// 或 https://"),
    ('[robots.a]\ntype = "wecom"\nwebhook = "https://x"\nsecret = "S"\n', "robots.a.secret"),
    (MINIMAL_SMTP + "[digest]\ntime = \"8:30\"\n", "digest.time：应为 HH:MM"),
    (MINIMAL_SMTP + "[delivery]\nmax_attempts = 0\n", "delivery.max_attempts：应为正整数"),
    ("[site]\nbase_url = \"https://h\"\n", "smtp / robots：至少配置一个通知渠道"),
    ("[smtp\nhost=", "不是有效的 TOML"),
])
def test_a_broken_config_is_refused_naming_the_key(text, named):
    with pytest.raises(NotifyConfigError) as refused:
        parse_config(text, "notify.toml")
    assert named in refused.value.message and "notify.toml" in refused.value.message


def test_dingtalk_signs_timestamp_newline_secret_with_hmac_sha256_in_base64():
    # computed apart: printf '1700000000000\nSECxxxx' | openssl dgst -sha256 -hmac SECxxxx -binary | base64
    assert M.dingtalk_sign("SECxxxx", 1700000000000) == "LReYwot3QanuU+gyLj4pdQ1iIDJFDFXY6qpWq1daJt8="
    url = M.signed_url("https://oapi.dingtalk.com/robot/send?access_token=t", "SECxxxx", 1700000000000)
    assert url.startswith("https://oapi.dingtalk.com/robot/send?access_token=t&timestamp=1700000000000&sign=")
    assert "+" not in url.split("sign=")[1] and "=" not in url.split("sign=")[1]   # URL-encoded
    assert M.signed_url("https://x/send?access_token=t", None, 1) == "https://x/send?access_token=t"


def test_backoff_doubles_from_the_base_up_to_the_cap():
    assert [M.backoff(n, 60, 600).total_seconds() for n in range(1, 7)] == [60, 120, 240, 480, 600, 600]


def test_each_alert_links_to_the_page_where_it_is_acted_on():
    assert M.alert_link("notice_overdue", "B-1", {"month": "2024-03"}) == "/assessment/B-1/month/2024-03"
    assert M.alert_link("complaint_due_soon", "B-1", {}) == "/complaints/B-1"
    assert M.alert_link("settlement_unverified", "B-1", {"period": "2024-03"}) == "/settlements/B-1/2024-03"
    assert M.alert_link("demand_unenforced", "合同/1", {}) == "/attendance/%E5%90%88%E5%90%8C%2F1/demands"
    assert M.alert_link("spending_behind", "B-1", {}) == "/dashboard?contract=B-1"
    assert M.alert_link("reminder_midyear", "B-1", {"year": 2024}) == "/evaluation/B-1/2024"
    assert M.alert_link("a_kind_added_later", "B-1", {}) == "/alerts?kind=a_kind_added_later"


def standing(kind, contract, message, day=dt.date(2024, 4, 30)):
    return M.Standing(kind, contract, message, M.alert_link(kind, contract, {}), day)


def test_the_digest_groups_by_kind_in_the_glossarys_order_each_line_with_its_link():
    content = M.digest(dt.date(2024, 5, 1), [
        standing("demand_unenforced", "B-1", "A 的更换要求未执行"),
        standing("complaint_overdue", "B-2", "投诉 P-2 已超过办理期限"),
        standing("complaint_overdue", "B-1", "投诉 P-1 已超过办理期限", dt.date(2024, 4, 2)),
    ])
    assert content.title == "每日提醒汇总（2024-05-01）：3 条提醒仍未消除"
    assert [s.heading for s in content.sections] == ["投诉逾期未办结（2 条）", "更换人员要求未执行（1 条）"]
    assert [i.text for i in content.sections[0].items] == ["投诉 P-1 已超过办理期限（2024-04-02 起）",
                                                           "投诉 P-2 已超过办理期限（2024-04-30 起）"]
    text = M.email_text(content, "https://h.gov.cn")
    assert "【投诉逾期未办结（2 条）】\n· 投诉 P-1 已超过办理期限（2024-04-02 起）\n  https://h.gov.cn/complaints/B-1" in text
    assert M.digest(dt.date(2024, 5, 1), []) is None


def test_robot_markdown_escapes_the_halls_text_and_is_cut_to_the_channels_limit():
    content = M.digest(dt.date(2024, 5, 1), [standing("complaint_overdue", "B-1", f"投诉 *P-{i}* 已超过办理期限")
                                             for i in range(200)])
    body = M.wecom_body(content, "https://h.gov.cn")
    text = body["markdown"]["content"]
    assert len(text.encode()) <= M.WECOM_MARKDOWN_BYTES and body["msgtype"] == "markdown"
    assert "投诉 \\*P-0\\* 已超过办理期限" in text and "[查看](https://h.gov.cn/complaints/B-1)" in text
    shown = text.count("[查看]")
    assert f"……另有 {200 - shown} 条，请登录系统查看" in text and 0 < shown < 200
    ding = M.dingtalk_body(content, "https://h.gov.cn")["markdown"]
    assert ding["title"].startswith("每日提醒汇总") and len(ding["text"].encode()) <= M.DINGTALK_MARKDOWN_BYTES


def test_a_content_survives_its_stored_document():
    content = M.announcement("notice_served", "B-1", "A 的通知书已送达", "/attendance/B-1/demands/notice?x=1")
    assert M.Content.from_document(content.document()) == content
    assert content.title == "【更换人员通知书已送达】B-1"


def test_every_judgement_of_the_alerts_goes_through_the_outbox():
    """What an alert judgement raises is announced in its transaction only if the judging goes through
    hallmon.notify.outbox: no other module calls the alerts' refresh itself."""
    root = Path(__file__).resolve().parents[2]
    callers = []
    for path in sorted((root / "hallmon").rglob("*.py")):
        if path.parent.name == "notify" or path.parent.name == "alerts":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "hallmon.alerts.services":
                callers += [f"{path.name}: {a.name}" for a in node.names
                            if a.name in ("refresh_alerts", "refresh_contracts")]
            if isinstance(node, ast.Attribute) and node.attr in ("refresh_alerts", "refresh_contracts") \
                    and isinstance(node.value, ast.Name) and node.value.id == "alerts":
                callers.append(f"{path.name}:{node.lineno} alerts.{node.attr}")
    assert callers == []


def test_the_readmes_notification_config_is_a_valid_config():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Notifications"):]
    [block] = re.findall(r"```toml\n(.*?)```", section[:section.index("\n## ", 5)], re.S)
    config = parse_config(block, "README.md")
    assert config.smtp is not None and {r.type for r in config.robots.values()} == {"wecom", "dingtalk"}
