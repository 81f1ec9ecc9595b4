"""OAuth clients: registering them (`manage.py createclient`, the tests) and authenticating their requests."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import AbstractApplication, get_application_model
from oauth2_provider.oauth2_backends import get_oauthlib_core
from oauth2_provider.settings import oauth2_settings
from oauth2_provider.validators import AllowedURIValidator
from oauthlib.common import Request as OAuthlibRequest

Application = get_application_model()

GRANT_TYPES = {
    "authorization-code": AbstractApplication.GRANT_AUTHORIZATION_CODE,
    "password": AbstractApplication.GRANT_PASSWORD,
    "client-credentials": AbstractApplication.GRANT_CLIENT_CREDENTIALS,
}


@dataclass(frozen=True)
class Registration:
    application: Application
    created: bool
    # The plain secret of a new confidential client; it exists nowhere else once this is gone.
    secret: str | None = None


def register_client(
    *,
    name,
    client_id,
    public,
    grant_type,
    redirect_uris=(),
    allowed_origins=(),
    oidc=False,
    post_logout_redirect_uris=(),
):
    """
    Create the client `client_id` unless it already exists (then report it unchanged).

    `oidc` makes it an OpenID Connect relying party: ID tokens signed with RS256, and the
    `openid`, `email` and `profile` scopes.

    Raises django.core.exceptions.ValidationError when the registration is inconsistent,
    for example an authorization-code client without a redirect URI.
    """
    check_oidc_registration(
        oidc, grant_type=GRANT_TYPES[grant_type], post_logout_redirect_uris=post_logout_redirect_uris
    )
    with transaction.atomic():
        existing = Application.objects.filter(client_id=client_id).first()
        if existing is not None:
            return Registration(existing, created=False)
        secret = generate_client_secret()
        application = Application(
            name=name,
            client_id=client_id,
            client_secret=secret,  # hashed when saved
            client_type=AbstractApplication.CLIENT_PUBLIC if public else AbstractApplication.CLIENT_CONFIDENTIAL,
            authorization_grant_type=GRANT_TYPES[grant_type],
            redirect_uris=" ".join(redirect_uris),
            allowed_origins=" ".join(allowed_origins),
            algorithm=AbstractApplication.RS256_ALGORITHM if oidc else AbstractApplication.NO_ALGORITHM,
            post_logout_redirect_uris=" ".join(post_logout_redirect_uris),
        )
        application.full_clean(exclude=["user"])
        application.save()
    return Registration(application, created=True, secret=None if public else secret)


def check_oidc_registration(oidc, *, grant_type, post_logout_redirect_uris):
    """
    Raise ValidationError unless the OpenID Connect parts of a registration fit together: ID
    tokens are issued on the authorization-code flow only, and only an OpenID Connect client
    has post-logout redirect URIs, each an absolute URI with an allowed scheme.
    """
    if oidc and grant_type != AbstractApplication.GRANT_AUTHORIZATION_CODE:
        raise ValidationError({"algorithm": "OpenID Connect clients use the authorization-code grant."})
    if post_logout_redirect_uris and not oidc:
        raise ValidationError({"post_logout_redirect_uris": "Only OpenID Connect clients have logout redirect URIs."})
    # DOT checks redirect URIs when a client is saved, and these only when a logout uses them.
    validator = AllowedURIValidator(
        oauth2_settings.ALLOWED_REDIRECT_URI_SCHEMES, "post logout redirect uri", allow_path=True, allow_query=True
    )
    errors = []
    for uri in post_logout_redirect_uris:
        try:
            validator(uri)
        except ValidationError as error:
            errors.extend(error.error_list)
    if errors:
        raise ValidationError({"post_logout_redirect_uris": errors})


def oauthlib_request_for(request):
    """A Django request as oauthlib reads it, with the validator DOT is configured with."""
    core = get_oauthlib_core()
    return OAuthlibRequest(*core._extract_params(request)), core.server.request_validator


def authenticate_client(request):
    """
    The client a token-endpoint-style POST comes from, authenticated the way /oauth/token
    does it (a confidential client proves its secret, a public one names itself), or None.
    """
    oauthlib_request, validator = oauthlib_request_for(request)
    if validator.client_authentication_required(oauthlib_request):
        authenticated = validator.authenticate_client(oauthlib_request)
    else:
        authenticated = validator.authenticate_client_id(oauthlib_request.client_id, oauthlib_request)
    return oauthlib_request.client if authenticated else None
