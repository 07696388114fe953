"""The `hallmon` command: the same services as the web pages, for scripts, finance month-ends and tests."""
from __future__ import annotations

import click

from hallmon.cli.common import HallmonGroup, db_option

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(cls=HallmonGroup, context_settings=CONTEXT)
@db_option
def main() -> None:
    """不动产登记大厅窗口服务监管：考勤、考核、投诉、业务量、结算与支付核验。"""


def _register() -> None:
    from hallmon.cli import demo, roster

    for module in (roster, demo):
        module.register(main)
    for name in ("attendance", "assessment", "complaints", "caseload", "billing", "alerts", "evaluation", "notify"):
        try:
            module = __import__(f"hallmon.cli.{name}", fromlist=["register"])
        except ModuleNotFoundError as exc:
            if exc.name != f"hallmon.cli.{name}":
                raise
            continue
        module.register(main)


_register()

__all__ = ["main"]
