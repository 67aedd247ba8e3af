"""``seller-desk backend serve``: migrate the database, build the app, run uvicorn.

Serving is split in steps so that later features hook in without touching this file's callers:
``prepare`` migrates and builds the app and then runs each ``AppConfigurer`` on it (the marketplace
simulator of ``--simulate`` will be one: it can wrap ``app.router.lifespan_context`` to run beside the
server); ``serve`` hands the result to uvicorn, with TLS when a certificate and key are given.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from fastapi import FastAPI

from seller_desk.backend.access_tokens import DEFAULT_TTL
from seller_desk.backend.api import create_app
from seller_desk.backend.store import Database, upgrade

log = logging.getLogger(__name__)

AppConfigurer = Callable[[FastAPI], None]


@dataclass(frozen=True, slots=True)
class ServeOptions:
    db_url: str
    host: str = "127.0.0.1"
    port: int = 8765
    tls_cert: Path | None = None
    tls_key: Path | None = None
    log_level: str = "info"
    access_token_ttl: timedelta = DEFAULT_TTL

    @property
    def scheme(self) -> str:
        return "https" if self.tls_cert else "http"


def migrate(db_url: str) -> None:
    """Bring the database at ``db_url`` to this version's schema."""
    db = Database(db_url)
    try:
        upgrade(db)
    finally:
        db.dispose()


def prepare(options: ServeOptions, configurers: Sequence[AppConfigurer] = ()) -> FastAPI:
    migrate(options.db_url)
    app = create_app(options.db_url, access_token_ttl=options.access_token_ttl)
    for configure in configurers:
        configure(app)
    return app


def serve(options: ServeOptions, configurers: Sequence[AppConfigurer] = ()) -> None:
    import uvicorn

    if (options.tls_cert is None) != (options.tls_key is None):
        raise ValueError("HTTPS needs both --tls-cert and --tls-key")
    app = prepare(options, configurers)
    config = uvicorn.Config(
        app,
        host=options.host,
        port=options.port,
        log_level=options.log_level,
        ssl_certfile=str(options.tls_cert) if options.tls_cert else None,
        ssl_keyfile=str(options.tls_key) if options.tls_key else None,
        server_header=False,
    )
    log.info("serving on %s://%s:%d", options.scheme, options.host, options.port)
    uvicorn.Server(config).run()
