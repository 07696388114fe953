"""Loading contract terms from TOML (rules §1): every key validated, every problem naming its key."""
from __future__ import annotations

import datetime as dt
import re
import tomllib
from decimal import Decimal, InvalidOperation
from typing import Any

from hallmon.contract.terms import (
    AssessmentTerms,
    AttendanceTerms,
    BillingTerms,
    CalendarTerms,
    CaseloadTerms,
    ComplaintTerms,
    ContractTerms,
    Schedule,
    Session,
    hhmm,
)


class TermsError(ValueError):
    """A contract file that cannot be accepted; `messages` name each offending key."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages



def load_terms_text(text: str) -> ContractTerms:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TermsError([f"TOML 语法错误：{exc}"]) from exc
    return terms_from_mapping(data)


def terms_from_document(document: dict[str, Any]) -> ContractTerms:
    """Rebuild terms from `to_document()` output (as stored in the database)."""
    return terms_from_mapping(document)


class _Reader:
    """Reads typed values out of one TOML table, collecting a message per bad key."""

    def __init__(self, data: dict, prefix: str, errors: list[str]):
        self.data = data
        self.prefix = prefix
        self.errors = errors
        self.used: set[str] = set()

    def key(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def fail(self, name: str, message: str) -> None:
        self.errors.append(f"{self.key(name)}: {message}")

    def has(self, name: str) -> bool:
        return name in self.data

    def get(self, name: str, kind: str, default: Any = None, required: bool = False) -> Any:
        self.used.add(name)
        if name not in self.data:
            if required:
                self.fail(name, "缺少必填项")
            return default
        value = self.data[name]
        try:
            return _convert(value, kind)
        except ValueError as exc:
            self.fail(name, str(exc))
            return default

    def unknown(self) -> None:
        for name in self.data:
            if name not in self.used:
                self.errors.append(f"{self.key(name)}: 未知的键")


def _convert(value: Any, kind: str) -> Any:
    if kind == "str":
        if not isinstance(value, str) or not value.strip():
            raise ValueError("应为非空字符串")
        return value.strip()
    if kind == "date":
        return _as_date(value)
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"应为整数，而不是 {_show(value)}")
        if value < 0:
            raise ValueError(f"不能为负数：{value}")
        return value
    if kind == "number":
        return _as_number(value)
    if kind == "nonneg_number":
        n = _as_number(value)
        if n < 0:
            raise ValueError(f"不能为负数：{value}")
        return n
    if kind == "money" or kind == "share":
        if not isinstance(value, str):
            raise ValueError(f"金额与比例应写成带引号的十进制字符串（如 \"0.30\"），而不是 {_show(value)}")
        try:
            d = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"不是十进制数：{value!r}") from None
        if not d.is_finite():
            raise ValueError(f"不是有限的十进制数：{value!r}")
        if d < 0:
            raise ValueError(f"不能为负数：{value}")
        if kind == "share" and d > 1:
            raise ValueError(f"比例应在 0 与 1 之间：{value}")
        return d
    if kind == "bool":
        if not isinstance(value, bool):
            raise ValueError(f"应为 true 或 false，而不是 {_show(value)}")
        return value
    raise AssertionError(kind)


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "布尔值"
    if isinstance(value, float):
        return f"浮点数 {value}"
    if isinstance(value, int):
        return f"整数 {value}"
    if isinstance(value, str):
        return f"字符串 {value!r}"
    if isinstance(value, list):
        return "数组"
    if isinstance(value, dict):
        return "表"
    return type(value).__name__


def _as_number(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"应为数字，而不是 {_show(value)}")
    d = Decimal(str(value))
    if not d.is_finite():
        raise ValueError(f"应为有限的数字：{value}")
    return d


_DATE_RE = re.compile(r"^(\d{4})[-/](\d{2})[-/](\d{2})$")


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        raise ValueError("应为日期（不含时间）")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        m = _DATE_RE.match(value.strip())
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                pass
        raise ValueError(f"不是有效日期（YYYY-MM-DD）：{value!r}")
    raise ValueError(f"应为日期，而不是 {_show(value)}")


_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})$")


def _as_minutes(value: Any) -> int:
    if isinstance(value, dt.time):
        if value.second or value.microsecond:
            raise ValueError("时刻只能精确到分钟")
        return value.hour * 60 + value.minute
    if isinstance(value, str):
        m = _TIME_RE.match(value.strip())
        if m:
            h, mi = int(m[1]), int(m[2])
            if mi < 60 and (h < 24 or (h == 24 and mi == 0)):
                return h * 60 + mi
            if h * 60 + mi > 24 * 60:
                raise ValueError(f"时刻超过 24:00：{value!r}")
        raise ValueError(f"不是有效时刻（HH:MM）：{value!r}")
    raise ValueError(f"时刻应写成 \"HH:MM\"，而不是 {_show(value)}")



def _table(data: dict, name: str, prefix: str, errors: list[str]) -> dict:
    value = data.get(name, {})
    if not isinstance(value, dict):
        errors.append(f"{prefix}{name}: 应为表（[{name}]）")
        return {}
    return value


def _month_end(day: dt.date) -> dt.date:
    nxt = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - dt.timedelta(days=1)


def terms_from_mapping(data: dict[str, Any]) -> ContractTerms:
    """rules §1: validate a parsed TOML document; every problem names its key."""
    errors: list[str] = []
    top = _Reader(data, "", errors)
    code = top.get("code", "str", required=True)
    name = top.get("name", "str", required=True)
    contractor = top.get("contractor", "str", required=True)
    start = top.get("start", "date", required=True)
    end = top.get("end", "date", required=True)
    total_fee = top.get("total_fee", "money", required=True)
    headcount = top.get("headcount", "int", required=True)
    billing_months = top.get("billing_months", "int", ContractTerms.billing_months)

    if start is not None and start.day != 1:
        top.fail("start", f"应为某月 1 日：{start}")
    if end is not None and end != _month_end(end):
        top.fail("end", f"应为某月最后一天：{end}")
    if start is not None and end is not None and end < start:
        top.fail("end", f"早于 start（{end} < {start}）")
    if headcount is not None and headcount < 1:
        top.fail("headcount", "不能小于 1")
    if billing_months is not None and billing_months < 1:
        top.fail("billing_months", "不能小于 1")

    schedule = _schedule(_table(data, "schedule", "", errors), errors)
    calendar = _calendar(_table(data, "calendar", "", errors), errors)
    attendance = _attendance(_table(data, "attendance", "", errors), errors)
    assessment = _assessment(_table(data, "assessment", "", errors), errors)
    complaints = _complaints(_table(data, "complaints", "", errors), errors)
    caseload = _caseload(_table(data, "caseload", "", errors), errors)
    billing = _billing(_table(data, "billing", "", errors), errors)
    top.used.update({"schedule", "calendar", "attendance", "assessment", "complaints", "caseload", "billing"})
    if "schedule" not in data:
        errors.append("schedule: 缺少必填的 [schedule] 表")
    top.unknown()
    if errors:
        raise TermsError(errors)
    return ContractTerms(
        code=code, name=name, contractor=contractor, start=start, end=end,
        total_fee=total_fee, headcount=headcount, billing_months=billing_months,
        schedule=schedule, calendar=calendar, attendance=attendance,
        assessment=assessment, complaints=complaints, caseload=caseload, billing=billing,
    )


def _schedule(data: dict, errors: list[str]) -> Schedule:
    r = _Reader(data, "schedule.", errors)
    r.used.add("sessions")
    sessions: list[Session] = []
    raw = data.get("sessions")
    if raw is None:
        r.fail("sessions", "缺少必填项")
    elif not isinstance(raw, list) or not raw:
        r.fail("sessions", "应为非空数组，如 [[\"08:30\", \"12:00\"], [\"14:30\", \"17:30\"]]")
    else:
        for i, pair in enumerate(raw, start=1):
            if not isinstance(pair, list) or len(pair) != 2:
                r.fail("sessions", f"第 {i} 段应为 [开始, 结束]")
                continue
            try:
                s, e = _as_minutes(pair[0]), _as_minutes(pair[1])
            except ValueError as exc:
                r.fail("sessions", f"第 {i} 段：{exc}")
                continue
            if s >= 24 * 60:
                r.fail("sessions", f"第 {i} 段开始时刻不能是 24:00")
                continue
            if e <= s:
                r.fail("sessions", f"第 {i} 段结束不晚于开始（{hhmm(s)}–{hhmm(e)}）")
                continue
            if sessions and s < sessions[-1].end:
                r.fail("sessions", f"第 {i} 段与前一段重叠或未按时间先后排列")
                continue
            sessions.append(Session(s, e))
    grace = r.get("grace_minutes", "int", Schedule.grace_minutes)
    serious = r.get("serious_late_minutes", "int", Schedule.serious_late_minutes)
    quota = r.get("makeup_quota_per_month", "int", Schedule.makeup_quota_per_month)
    r.unknown()
    return Schedule(tuple(sessions), grace, serious, quota)


def _date_list(r: _Reader, name: str) -> frozenset[dt.date]:
    r.used.add(name)
    raw = r.data.get(name, [])
    if not isinstance(raw, list):
        r.fail(name, "应为日期数组")
        return frozenset()
    out: set[dt.date] = set()
    for item in raw:
        try:
            out.add(_as_date(item))
        except ValueError as exc:
            r.fail(name, str(exc))
    return frozenset(out)


def _calendar(data: dict, errors: list[str]) -> CalendarTerms:
    r = _Reader(data, "calendar.", errors)
    work = _date_list(r, "extra_workdays")
    rest = _date_list(r, "extra_holidays")
    both = sorted(work & rest)
    if both:
        r.fail("extra_holidays", "同一日期不能同时出现在 extra_workdays 与 extra_holidays："
               + "、".join(d.isoformat() for d in both))
    r.unknown()
    return CalendarTerms(work, rest)


def _attendance(data: dict, errors: list[str]) -> AttendanceTerms:
    r = _Reader(data, "attendance.", errors)
    d = AttendanceTerms()
    t = AttendanceTerms(
        monthly_late_early_limit=r.get("monthly_late_early_limit", "int", d.monthly_late_early_limit),
        annual_late_early_limit=r.get("annual_late_early_limit", "int", d.annual_late_early_limit),
        missing_punch_counts_as_absent=r.get("missing_punch_counts_as_absent", "bool", d.missing_punch_counts_as_absent),
        enforcement_days=r.get("enforcement_days", "int", d.enforcement_days),
    )
    r.unknown()
    return t


def _assessment(data: dict, errors: list[str]) -> AssessmentTerms:
    r = _Reader(data, "assessment.", errors)
    d = AssessmentTerms()
    base = r.get("base_score", "nonneg_number", d.base_score)
    max_bonus = r.get("max_bonus", "nonneg_number", d.max_bonus)
    pass_score = r.get("pass_score", "nonneg_number", d.pass_score)
    mode = r.get("mode", "str", d.mode)
    if mode not in ("per_point", "bands"):
        r.fail("mode", f"应为 \"per_point\" 或 \"bands\"，而不是 {mode!r}")
        mode = d.mode
    rate = r.get("per_point_rate", "share", d.per_point_rate)
    bands = d.bands
    r.used.add("bands")
    if "bands" in data:
        bands = _bands(r, data["bands"]) or d.bands
    t = AssessmentTerms(
        base_score=base, max_bonus=max_bonus, pass_score=pass_score, mode=mode,
        per_point_rate=rate, bands=bands,
        recurrence_limit=r.get("recurrence_limit", "int", d.recurrence_limit),
        recurrence_factor=r.get("recurrence_factor", "nonneg_number", d.recurrence_factor),
        notify_within_workdays=r.get("notify_within_workdays", "int", d.notify_within_workdays),
        personnel_complaint_points=r.get("personnel_complaint_points", "number", d.personnel_complaint_points),
    )
    if t.notify_within_workdays is not None and t.notify_within_workdays < 1:
        r.fail("notify_within_workdays", "不能小于 1")
    r.unknown()
    return t


def _bands(r: _Reader, raw: Any) -> tuple[tuple[Decimal, Decimal], ...] | None:
    if not isinstance(raw, list) or not raw:
        r.fail("bands", "应为非空数组，如 [[90, \"1.00\"], [0, \"0.70\"]]")
        return None
    out: list[tuple[Decimal, Decimal]] = []
    for i, pair in enumerate(raw, start=1):
        if not isinstance(pair, list) or len(pair) != 2:
            r.fail("bands", f"第 {i} 档应为 [最低分, 支付比例]")
            return None
        try:
            low = _as_number(pair[0])
            share = _convert(pair[1], "share")
        except ValueError as exc:
            r.fail("bands", f"第 {i} 档：{exc}")
            return None
        out.append((low, share))
    lows = [low for low, _ in out]
    if len(set(lows)) != len(lows):
        r.fail("bands", "最低分重复")
        return None
    if min(lows) != 0:
        r.fail("bands", f"最低一档的最低分应为 0，而不是 {min(lows)}")
        return None
    return tuple(sorted(out, key=lambda b: b[0], reverse=True))


def _complaints(data: dict, errors: list[str]) -> ComplaintTerms:
    r = _Reader(data, "complaints.", errors)
    d = ComplaintTerms()
    hotline = dict(d.hotline_workdays)
    r.used.add("hotline_workdays")
    if "hotline_workdays" in data:
        raw = data["hotline_workdays"]
        if not isinstance(raw, dict):
            r.fail("hotline_workdays", "应为表，如 { consult = 2, help = 5, complaint = 10 }")
        else:
            for kind, days in raw.items():
                if kind not in hotline:
                    r.fail(f"hotline_workdays.{kind}", "未知的键（应为 consult、help 或 complaint）")
                    continue
                try:
                    hotline[kind] = _convert(days, "int")
                except ValueError as exc:
                    r.fail(f"hotline_workdays.{kind}", str(exc))
                    continue
                if hotline[kind] < 1:
                    r.fail(f"hotline_workdays.{kind}", "不能小于 1")
    t = ComplaintTerms(
        petition_accept_days=r.get("petition_accept_days", "int", d.petition_accept_days),
        petition_resolve_days=r.get("petition_resolve_days", "int", d.petition_resolve_days),
        petition_extension_days=r.get("petition_extension_days", "int", d.petition_extension_days),
        hotline_workdays=tuple(hotline.items()),
        review_workdays=r.get("review_workdays", "int", d.review_workdays),
        other_workdays=r.get("other_workdays", "int", d.other_workdays),
        personnel_limit_per_year=r.get("personnel_limit_per_year", "int", d.personnel_limit_per_year),
    )
    for key in ("review_workdays", "other_workdays"):
        if getattr(t, key) is not None and getattr(t, key) < 1:
            r.fail(key, "不能小于 1")
    r.unknown()
    return t


def _caseload(data: dict, errors: list[str]) -> CaseloadTerms:
    r = _Reader(data, "caseload.", errors)
    t = CaseloadTerms(daily_target=r.get("daily_target", "nonneg_number", CaseloadTerms.daily_target))
    r.unknown()
    return t


def _billing(data: dict, errors: list[str]) -> BillingTerms:
    r = _Reader(data, "billing.", errors)
    t = BillingTerms(
        deduction_cap=r.get("deduction_cap", "share", BillingTerms.deduction_cap),
        unenforced_fine=r.get("unenforced_fine", "money", BillingTerms.unenforced_fine),
    )
    r.unknown()
    return t


# ---------------------------------------------------------------- canonical document
