"""One unit of work per entry point: one session whose work is committed once, at its end, or not at all."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

_OPEN = "hallmon.unit_of_work"


class NestedUnitOfWork(RuntimeError):
    """A unit of work opened inside another: the inner commit would end the outer one's transaction."""


@contextmanager
def unit_of_work(session: Session) -> Iterator[Session]:
    """The entry point's one transaction (a request, a command, a job): services called inside it write through
    `session` and never commit; the unit commits when the block ends and rolls everything back when it raises.
    Opening one inside another is refused."""
    if session.info.get(_OPEN):
        raise NestedUnitOfWork("工作单元不能嵌套：入口处已开启一个事务")
    session.info[_OPEN] = True
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.info.pop(_OPEN, None)


def in_unit_of_work(session: Session) -> bool:
    return bool(session.info.get(_OPEN))
