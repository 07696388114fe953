"""Running `hallmon` in real processes and killing them with SIGKILL, for the fault tests."""
from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HALLMON = Path(sys.executable).with_name("hallmon")


@dataclass
class Outcome:
    killed: bool        # SIGKILL arrived while it ran
    exit: int | None    # its exit status when it finished first
    seconds: float      # how long it lived

    @property
    def finished(self) -> bool:
        return not self.killed and self.exit == 0


class ForkServer:
    """tests/reliability/forkserver.py in its own process; `run` forks a child per request."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen([sys.executable, "-m", "tests.reliability.forkserver"], cwd=ROOT, env=env,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        ready = self._read()
        assert "ready" in ready, ready
        self.runs = 0

    def _read(self) -> dict:
        line = self.process.stdout.readline()
        assert line, "the fork server died"
        return json.loads(line)

    def run(self, *commands: list[str], kill_after: float | None = None) -> Outcome:
        """Run the command lines in one child; SIGKILL it after `kill_after` seconds unless it ended."""
        self.runs += 1
        out, err = self.workdir / f"run{self.runs}.out", self.workdir / f"run{self.runs}.err"
        request = {"commands": [[str(a) for a in c] for c in commands], "out": str(out), "err": str(err)}
        started = time.monotonic()
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        pid = self._read()["pid"]
        if kill_after is not None:
            time.sleep(kill_after)   # the random moment of the fault: the point of this test
            with contextlib.suppress(ProcessLookupError):   # it may have finished already
                os.kill(pid, signal.SIGKILL)
        ended = self._read()
        seconds = time.monotonic() - started
        assert ended["pid"] == pid
        if "signal" in ended:
            assert ended["signal"] == signal.SIGKILL, ended
            return Outcome(True, None, seconds)
        return Outcome(False, ended["exit"], seconds)

    def stderr(self) -> str:
        return (self.workdir / f"run{self.runs}.err").read_text(encoding="utf-8")

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)
        self.process.stdout.close()


def console_script(*args: str, kill_after: float, env: dict | None = None) -> Outcome:
    """The installed `hallmon` console script itself, killed after `kill_after` seconds."""
    started = time.monotonic()
    process = subprocess.Popen([str(HALLMON), *map(str, args)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               env={**os.environ, **(env or {})})
    try:
        process.wait(timeout=kill_after)
        return Outcome(False, process.returncode, time.monotonic() - started)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
        return Outcome(True, None, time.monotonic() - started)
    finally:
        process.stderr.close()
