"""What the OpenID Connect tests share: a relying party's registration and an ID token's checks."""

import base64
import hashlib
import json

from jwcrypto import jwk, jwt

from oauth.clients import register_client

RP_REDIRECT_URI = "https://rp.example.com/callback"
RP_LOGGED_OUT_URI = "https://rp.example.com/logged-out"


def register_relying_party(redirect_uri=RP_REDIRECT_URI, post_logout_redirect_uri=RP_LOGGED_OUT_URI):
    """A confidential OpenID Connect client (a server-side web app). Returns the registration."""
    return register_client(
        name="Relying party",
        client_id="relying-party",
        public=False,
        grant_type="authorization-code",
        redirect_uris=[redirect_uri],
        oidc=True,
        post_logout_redirect_uris=[post_logout_redirect_uri],
    )


def half_hash(value):
    """OpenID Connect's at_hash: the left half of the SHA-256 of the token, base64url without padding."""
    digest = hashlib.sha256(value.encode()).digest()
    return base64.urlsafe_b64encode(digest[: len(digest) // 2]).rstrip(b"=").decode()


def verified_claims(id_token, jwks):
    """The header and claims of an ID token whose signature a key of `jwks` (a JWKS document) verifies."""
    keys = jwk.JWKSet.from_json(json.dumps(jwks))
    token = jwt.JWT(jwt=id_token, key=keys, algs=["RS256"])
    return json.loads(token.header), json.loads(token.claims)
