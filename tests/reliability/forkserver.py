"""A process that imports hallmon once, then forks one child per request to run `hallmon …` command lines.

The fault tests kill these children with SIGKILL at random moments. Each child is a real process running
the same `hallmon` command-line entry point as the console script; forking from an already-imported parent
only saves the second of imports per run, so that twenty kills fit in CI's budget.

Protocol (JSON lines): the test writes {"commands": [[arg, …], …], "out": path, "err": path}; the server
answers {"pid": n} as soon as the child runs, then {"pid": n, "exit": code} or {"pid": n, "signal": s}
when it ends. The child runs the command lines one after another and stops at the first that fails.
"""
from __future__ import annotations

import json
import os
import sys


def preload() -> None:
    """Everything an ingest or a gate action imports lazily, so that the children start at once."""
    import alembic.command  # noqa: F401
    import openpyxl  # noqa: F401
    import pandas  # noqa: F401
    import psycopg  # noqa: F401
    import sqlalchemy.dialects.postgresql.psycopg  # noqa: F401
    import sqlalchemy.dialects.sqlite.pysqlite  # noqa: F401

    import hallmon.app.writes  # noqa: F401
    import hallmon.assessment.services  # noqa: F401
    import hallmon.attendance.services  # noqa: F401
    import hallmon.billing.services  # noqa: F401
    import hallmon.caseload.services  # noqa: F401
    import hallmon.cli  # noqa: F401
    import hallmon.complaints.services  # noqa: F401
    import hallmon.ingest.service  # noqa: F401
    import hallmon.migrate  # noqa: F401
    import hallmon.roster.services  # noqa: F401
    from hallmon.migrate import heads

    heads()


def child(request: dict) -> int:
    out = os.open(request["out"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    err = os.open(request["err"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(out, 1)
    os.dup2(err, 2)
    sys.stdout = open(1, "w", closefd=False, encoding="utf-8")  # noqa: SIM115
    sys.stderr = open(2, "w", closefd=False, encoding="utf-8")  # noqa: SIM115
    from hallmon.cli import main

    for argv in request["commands"]:
        code = main.main(argv, prog_name="hallmon", standalone_mode=False)
        sys.stdout.flush()
        sys.stderr.flush()
        if code not in (None, 0):
            return int(code)
    return 0


def serve() -> None:
    preload()
    print(json.dumps({"ready": os.getpid()}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                code = child(request)
            finally:
                os._exit(code)
        print(json.dumps({"pid": pid}), flush=True)
        _, status = os.waitpid(pid, 0)
        if os.WIFSIGNALED(status):
            print(json.dumps({"pid": pid, "signal": os.WTERMSIG(status)}), flush=True)
        else:
            print(json.dumps({"pid": pid, "exit": os.WEXITSTATUS(status)}), flush=True)


if __name__ == "__main__":
    serve()
