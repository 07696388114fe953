"""The one glossary: every Chinese word a person reads for a code the program keeps — fields, reasons, states,
actions, line kinds, channels, alert kinds, roles, sources. Pages, the command line, exports and alerts all take
their words from here."""
from __future__ import annotations

# A6: one person's month
FIELDS = {
    "scheduled_days": "排班天数", "scheduled_minutes": "应出勤分钟", "excused_minutes": "请假分钟",
    "late_count": "迟到次数", "serious_late_count": "严重迟到次数", "late_minutes": "迟到分钟",
    "early_count": "早退次数", "early_minutes": "早退分钟", "missing_punch_count": "缺卡次数",
    "absent_sessions": "旷工场次", "absent_minutes": "旷工分钟", "chargeable_minutes": "应扣分钟",
    "makeup_used": "补卡次数", "makeup_rejected": "超额补卡", "punch_count": "打卡次数",
    "no_signin_month": "整月未签到", "late_early_events": "迟到早退次数",
}

# A5: a session's outcome
OUTCOMES = {
    "normal": "正常", "excused": "请假", "late": "迟到", "serious_late": "严重迟到", "early": "早退",
    "missing": "缺卡", "absent": "旷工", "missing_absent": "缺卡（按旷工计）",
}

# A8: why a person must be replaced
REASONS = {
    "monthly_late_early": "月累计迟到早退", "annual_late_early": "年累计迟到早退",
    "no_signin": "整月未签到", "complaints": "属实人员投诉",
}

# S5: the monthly assessment notice
NOTICE_STATUSES = {"on_time": "按时通报", "late": "逾期通报", "missing": "逾期未通报", "pending": "尚未到期"}

# the assessment catalogue
ITEM_KINDS = {"deduction": "扣分", "bonus": "加分"}

# §6: complaints
CHANNELS = {"petition": "信访", "hotline": "12345 热线", "review": "好差评", "onsite": "现场投诉"}
CATEGORIES = {"personnel": "人员", "business": "业务", "other": "其他"}
HOTLINE_KINDS = {"consult": "咨询", "help": "求助", "complaint": "投诉"}
COMPLAINT_STATUSES = {"on_time": "按期办结", "resolved_late": "超期办结", "overdue": "逾期未办结", "open": "办理中"}
COMPLAINT_FIGURES = {"received": "收件", "resolved": "办结", "on_time": "按期办结", "accept_overdue": "受理逾期",
                     "backlog": "积压", "received_prev": "上年同期收件"}

# §8: settlement lines
LINES = {
    "staffing": "人员配置不足", "attendance": "考勤扣减", "assessment": "考核扣减",
    "unenforced": "未按约定更换人员", "cap": "扣减封顶", "adjustment": "异议调整",
}

# §9: the payment gate
STATES = {
    "draft": "草稿", "submitted": "已提交待核验", "verified": "已核验待审批",
    "approved": "已审批待支付", "paid": "已支付", "suspended": "暂缓支付",
}
ACTIONS = {
    "submit": "提交", "verify": "核验", "suspend": "暂缓支付", "object": "提出异议",
    "answer": "答复异议", "approve": "审批", "pay": "支付", "verify_failed": "核验未通过",
}
OBJECTION_STATUSES = {"open": "待答复", "accepted": "已接受", "rejected": "已驳回"}

# §10: people
ROLES = {"admin": "系统管理员", "manager": "中心业务科室", "finance": "财务科室", "contractor": "服务单位"}

# J1: alerts
ALERT_KINDS = {
    "notice_overdue": "考核通报逾期", "complaint_overdue": "投诉逾期未办结", "complaint_due_soon": "投诉即将到期",
    "settlement_unverified": "结算单超期未核验", "demand_unenforced": "更换人员要求未执行",
    "spending_behind": "支付进度落后于用款计划", "reminder_midyear": "事中监控提醒",
    "reminder_self_evaluation": "年度绩效自评提醒",
}

# notifications (docs/decisions.md "Notifications"): what reaches people besides the alerts, where, and how it went
NOTIFY_EVENTS = {
    "demand_raised": "新的更换人员要求", "notice_served": "更换人员通知书已送达", "objection_answered": "结算异议已答复",
}
NOTIFY_CHANNELS = {"email": "电子邮件", "wecom": "企业微信群机器人", "dingtalk": "钉钉群机器人", "robot": "群机器人"}
MESSAGE_STATUSES = {
    "pending": "待发送", "sending": "发送中", "sent": "已发送", "failed": "发送失败（已停止重试）",
    "uncertain": "可能已发送（未重发，待核实）", "dropped": "未发送（提醒已消除）",
}
MESSAGE_ACTIONS = {"resend": "重新发送", "confirm": "确认已收到", "drop": "不再发送"}
SERVED_HOW = {"in_person": "当面送达", "mail": "邮寄（EMS/挂号信）", "email": "电子邮件", "fax": "传真"}
DIGEST_TITLE = "每日提醒汇总"
ALL_CONTRACTS = "全部合同"

# §2: sources and file formats
SOURCES = {
    "staff": "人员花名册", "punches": "打卡记录", "leave": "请假记录", "makeup": "补卡记录",
    "assessment": "月度考核明细", "notices": "考核通报日期", "complaints": "投诉（信访、12345、好差评、现场）",
    "caseload": "业务量",
}
FORMATS = {"auto": "自动识别", "csv": "CSV", "xlsx": "Excel（XLSX）", "zkteco": "中控考勤机 attlog.dat",
           "dingtalk": "钉钉原始打卡记录", "wecom": "企业微信打卡"}

# W: the calendar
WEEKDAYS = "一二三四五六日"


def name(table: dict[str, str], code: str | None) -> str:
    """The word for a code, or the code itself when the glossary has none (never an empty cell)."""
    if code is None:
        return ""
    return table.get(code, code)
