"""The demo hall's contract and roster, after the Datong report (大同市 2024: 255 staff, 81 windows, 13 475 000 yuan)."""
from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

from sqlalchemy.orm import Session

from hallmon.app.writes import load_contract, load_file

CONTRACT_CODE = "DT-2024"
CONTRACTOR = "晋阳人力资源有限公司"
YEAR = 2024

# department → (windows prefix, windows, staff, post)
DEPARTMENTS = [
    ("受理科", "A", 30, 80, "窗口受理员"),
    ("审核科", "B", 8, 30, "审核辅助员"),
    ("登簿发证科", "C", 12, 40, "发证员"),
    ("交易资金事务科", "D", 8, 20, "资金监管辅助员"),
    ("地籍房屋测绘科", "E", 5, 15, "测绘辅助员"),
    ("政策法规科", "F", 5, 15, "质检辅助员"),
    ("数据信息科", "G", 5, 15, "网签备案员"),
    ("档案查询", "H", 8, 40, "档案查询员"),
]

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽"

TERMS = f"""\
code = "{CONTRACT_CODE}"
name = "不动产登记窗口日常服务（演示）"
contractor = "{CONTRACTOR}"
start = {YEAR}-01-01
end = {YEAR}-12-31
total_fee = "13475000.00"
headcount = 255
billing_months = 1

[schedule]
sessions = [["08:30", "12:00"], ["14:30", "17:30"]]
grace_minutes = 5
serious_late_minutes = 30
makeup_quota_per_month = 3

[attendance]
monthly_late_early_limit = 3
annual_late_early_limit = 20
enforcement_days = 15

[assessment]
pass_score = 90
mode = "per_point"
per_point_rate = "0.01"

[caseload]
daily_target = 3800

[billing]
deduction_cap = "0.30"
unenforced_fine = "5000.00"
"""

# Turnover during the year: (index of a leaver, last working day) and hires (first day).
# The leavers are the people the attendance demo gives replacement demands (A8), and each leaves by
# the demand's deadline: S0018 (February's lates, deadline 16 March), S0065 (April's, 16 May),
# S0122 (no sign-in in May, 16 June), S0189 (July's, 16 August), S0231 (the annual 20, 16 November).
LEAVERS = [(17, dt.date(2024, 3, 8)), (64, dt.date(2024, 5, 10)), (121, dt.date(2024, 6, 14)),
           (188, dt.date(2024, 8, 16)), (230, dt.date(2024, 10, 31))]
HIRES = [dt.date(2024, 3, 15), dt.date(2024, 6, 3), dt.date(2024, 7, 15), dt.date(2024, 9, 2),
         dt.date(2024, 11, 18)]


def staff_rows(seed: int) -> list[dict]:
    rng = random.Random(seed)
    rows: list[dict] = []
    used_names: set[str] = set()

    def name() -> str:
        while True:
            n = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
            if n not in used_names:
                used_names.add(n)
                return n

    number = 0
    for dept, prefix, windows, count, post in DEPARTMENTS:
        for i in range(count):
            number += 1
            window = f"{prefix}{i % windows + 1:02d}" if i < windows * 2 else ""
            hired = dt.date(rng.randint(2018, 2023), rng.randint(1, 12), rng.randint(1, 28))
            rows.append({
                "工号": f"S{number:04d}", "姓名": name(), "合同编号": CONTRACT_CODE,
                "岗位": post if window else "后台辅助", "科室": dept, "窗口": window,
                "入职日期": hired.isoformat(), "离职日期": "",
            })
    for index, last_day in LEAVERS:
        rows[index]["离职日期"] = last_day.isoformat()
    # each leaver is replaced in the same department a few days or weeks later: a small staffing shortfall
    for (index, _), hired in zip(LEAVERS, HIRES, strict=True):
        number += 1
        rows.append({**rows[index], "工号": f"S{number:04d}", "姓名": name(), "入职日期": hired.isoformat(),
                     "离职日期": ""})
    return rows


def write_csv(path: Path, rows: list[dict], encoding: str = "utf-8-sig") -> Path:
    with path.open("w", newline="", encoding=encoding) as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def build(session: Session, workdir: Path, seed: int, result) -> None:
    """合同与花名册"""
    terms = workdir / "contract-DT-2024.toml"
    terms.write_text(TERMS, encoding="utf-8")
    load_contract(session, TERMS, source_name=str(terms), actor="demo")
    staff = write_csv(workdir / "staff.csv", staff_rows(seed))
    load_file(session, "staff", staff, actor="demo")
    result.files += [terms, staff]
