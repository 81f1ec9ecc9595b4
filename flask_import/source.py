"""
Reading the Flask design's database: the `user`, `oauth2_client` and `oauth2_token` tables that
Flask-SQLAlchemy and Authlib's `sqla_oauth2` mixins create, through SQLAlchemy Core (what wrote them).
"""

from dataclasses import dataclass
from pathlib import Path

import sqlalchemy
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, NoSuchTableError, SQLAlchemyError


class SourceError(Exception):
    """The source database cannot be read as the Flask design's; nothing has been imported."""


@dataclass(frozen=True)
class SourceUser:
    id: int
    email: str | None
    first_name: str | None
    last_name: str | None
    password: str | None


@dataclass(frozen=True)
class SourceClient:
    id: int
    user_id: int | None
    client_id: str
    client_secret: str | None
    client_secret_expires_at: int
    client_metadata: str | None  # JSON text, read when the client is imported


@dataclass(frozen=True)
class SourceToken:
    id: int
    user_id: int | None
    client_id: str | None
    access_token: str
    refresh_token: str | None
    scope: str | None
    issued_at: int
    expires_in: int
    revoked: bool


@dataclass(frozen=True)
class Source:
    users: list[SourceUser]
    clients: list[SourceClient]
    tokens: list[SourceToken]


def engine_url(database_url):
    """SQLAlchemy's URL for a `sqlite:///…` or `postgres://…` URL (PostgreSQL through psycopg 3)."""
    try:
        url = make_url(database_url)
    except ArgumentError as error:
        raise SourceError("DATABASE_URL is not a database URL.") from error
    if url.drivername in ("postgres", "postgresql", "postgresql+psycopg"):
        return url.set(drivername="postgresql+psycopg")
    if url.drivername == "sqlite":
        # SQLite would create an empty file for a mistyped path and report nothing to import.
        if not url.database or not Path(url.database).is_file():
            raise SourceError(f"No SQLite database at {url.database or '(no path)'}.")
        return url
    raise SourceError(f"Unsupported database {url.drivername!r}: use sqlite:///path or postgres://…")


def read_source(database_url, *, tokens):
    """Every user and client (and with `tokens`, every token that has a refresh token), in one read-only snapshot."""
    try:
        engine = sqlalchemy.create_engine(engine_url(database_url))
    except NoSuchModuleError as error:
        raise SourceError(str(error)) from error
    try:
        options = {"postgresql_readonly": True, "isolation_level": "REPEATABLE READ"}
        connection = engine.connect().execution_options(**(options if engine.dialect.name == "postgresql" else {}))
        with connection as db, db.begin():
            return Source(
                users=_read_users(db),
                clients=_read_clients(db),
                tokens=_read_tokens(db) if tokens else [],
            )
    except NoSuchTableError as error:
        raise SourceError(f"The source database has no {error} table: is it the Flask design's?") from error
    except SQLAlchemyError as error:
        raise SourceError(
            f"Cannot read the source database: {error.__class__.__name__}: {getattr(error, 'orig', None) or error}"
        ) from error
    finally:
        engine.dispose()


def _table(db, name):
    return sqlalchemy.Table(name, sqlalchemy.MetaData(), autoload_with=db)


def _read_users(db):
    user = _table(db, "user")
    query = sqlalchemy.select(user.c.id, user.c.email, user.c.first_name, user.c.last_name, user.c.password)
    return [SourceUser(**row._mapping) for row in db.execute(query.order_by(user.c.id))]


def _read_clients(db):
    client = _table(db, "oauth2_client")
    query = sqlalchemy.select(
        client.c.id,
        client.c.user_id,
        client.c.client_id,
        client.c.client_secret,
        client.c.client_secret_expires_at,
        client.c.client_metadata,
    )
    return [SourceClient(**row._mapping) for row in db.execute(query.order_by(client.c.id))]


def _read_tokens(db):
    token = _table(db, "oauth2_token")
    columns = token.c
    # Authlib 1.x records revocation as two timestamps; Authlib 0.x (the articles' era) as a boolean.
    if "revoked" in columns:
        revoked = columns.revoked.is_(True)
    else:
        revoked = (columns.access_token_revoked_at != 0) | (columns.refresh_token_revoked_at != 0)
    query = sqlalchemy.select(
        columns.id,
        columns.user_id,
        columns.client_id,
        columns.access_token,
        columns.refresh_token,
        columns.scope,
        columns.issued_at,
        columns.expires_in,
        sqlalchemy.case((revoked, True), else_=False).label("revoked"),
    ).where(columns.refresh_token.is_not(None), columns.refresh_token != "")
    return [SourceToken(**row._mapping) for row in db.execute(query.order_by(columns.id))]
