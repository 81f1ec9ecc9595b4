"""
The Flask design's database, made by the libraries that made it: Flask-SQLAlchemy, Authlib's
`sqla_oauth2` mixins and passlib, with the models as the article defines them.
"""

import time
import warnings

from authlib.common.security import generate_token
from authlib.integrations.sqla_oauth2 import OAuth2ClientMixin, OAuth2TokenMixin
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

with warnings.catch_warnings():
    # passlib 1.7.4 (the last release) imports the `crypt` module, deprecated in Python 3.11.
    warnings.simplefilter("ignore", DeprecationWarning)
    from passlib.hash import sha256_crypt

db = SQLAlchemy()


class OAuth2Client(db.Model, OAuth2ClientMixin):
    __tablename__ = "oauth2_client"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id", ondelete="CASCADE"))
    user = db.relationship("User")


class OAuth2Token(db.Model, OAuth2TokenMixin):
    __tablename__ = "oauth2_token"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id", ondelete="CASCADE"))
    user = db.relationship("User")

    def is_refresh_token_active(self):
        # The article's rule, with Authlib 1.x's revocation columns in place of 0.x's `revoked`.
        if self.is_revoked():
            return False
        expires_at = self.issued_at + self.expires_in * 2
        return expires_at >= time.time()


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    first_name = db.Column(db.String)
    last_name = db.Column(db.String)
    email = db.Column(db.String)
    password = db.Column(db.String)

    def get_user_id(self):
        return self.id

    def check_password(self, password):
        return sha256_crypt.verify(password, self.password)


def flask_app(database_url):
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url
    db.init_app(app)
    return app


def hash_password(password, rounds=5000):
    """A passlib sha256_crypt hash (passlib's default is 535000 rounds; fewer keep the tests quick)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return sha256_crypt.using(rounds=rounds).hash(password)


def new_client(client_id, metadata, secret=None, **columns):
    client = OAuth2Client(
        client_id=client_id, client_secret=secret or generate_token(48), client_id_issued_at=int(time.time()), **columns
    )
    client.set_client_metadata(metadata)
    return client


def new_token(user, client_id, *, issued_ago, expires_in=3600, refresh=True, scope="", **columns):
    """A token as Authlib's save_token stores a bearer token response."""
    return OAuth2Token(
        user_id=user.id,
        client_id=client_id,
        token_type="Bearer",
        access_token=generate_token(42),
        refresh_token=generate_token(48) if refresh else None,
        scope=scope,
        issued_at=int(time.time()) - issued_ago,
        expires_in=expires_in,
        **columns,
    )


def build(database_url, fill):
    """Create the Flask design's tables at `database_url`, let `fill(session)` add rows, return what it returns."""
    app = flask_app(database_url)
    with app.app_context():
        db.create_all()
        result = fill(db.session)
        db.session.commit()
        db.session.expunge_all()
        db.engine.dispose()
    return result


def change(database_url, edit):
    """Run `edit(session)` against an existing source database and commit."""
    app = flask_app(database_url)
    with app.app_context():
        edit(db.session)
        db.session.commit()
        db.engine.dispose()
