"""A unit of work per task: one session, one transaction, committed whole or not at all.

Data functions take the session they are given and never commit; the unit of work commits when the
task's ``with`` block ends without an error and rolls back otherwise. A session is never shared
between threads: each background task opens its own unit of work (ARCHITECTURE.md, example 6).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from seller_desk.store.engine import writer


class UnitOfWork:
    """``with store.unit_of_work(write=True) as uow: ...; uow.session`` — commit on clean exit."""

    def __init__(self, factory: sessionmaker[Session]) -> None:
        self._factory = factory
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("unit of work used outside its 'with' block")
        return self._session

    def __enter__(self) -> UnitOfWork:
        self._session = self._factory()
        self._session.begin()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self.session
        try:
            if exc_type is None:
                session.commit()
            else:
                session.rollback()
        finally:
            session.close()
            self._session = None


class Store:
    """The opened local store: its file, its engine, and factories for units of work."""

    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self.engine = engine
        self._read_factory = sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)
        self._write_factory = sessionmaker(bind=writer(engine), expire_on_commit=False)

    def unit_of_work(self, *, write: bool = False) -> UnitOfWork:
        return UnitOfWork(self._write_factory if write else self._read_factory)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self.unit_of_work() as uow:
            yield uow.session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        with self.unit_of_work(write=True) as uow:
            yield uow.session

    def close(self) -> None:
        self.engine.dispose()
