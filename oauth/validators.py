import base64
import binascii
from urllib.parse import unquote_plus

from oauth2_provider import oauth2_validators
from oauth2_provider.models import AbstractApplication


def public_client_id_from_basic(validator, request):
    """
    The client id from `Authorization: Basic base64("<client_id>:")`, the form older
    ember-simple-auth and other SPA libraries use to name a public client, or None when
    the header is absent, malformed or carries a secret.
    """
    encoded = validator._extract_basic_auth(request)
    if not encoded:
        return None
    try:
        decoded = base64.b64decode(encoded, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, separator, secret = decoded.partition(":")
    if not separator or secret:
        return None
    return unquote_plus(client_id) or None


class OAuth2Validator(oauth2_validators.OAuth2Validator):
    def client_authentication_required(self, request, *args, **kwargs):
        """
        Changes one case: a Basic header naming a *public* client with an empty secret
        identifies that client instead of demanding authentication, which its hashed
        secret could never pass. Confidential clients still have to authenticate.
        """
        client_id = public_client_id_from_basic(self, request)
        if client_id is not None and request.client_id in (None, "", client_id):
            application = self._load_application(client_id, request)
            if application is not None and application.client_type == AbstractApplication.CLIENT_PUBLIC:
                request.client_id = client_id
                return False
        return super().client_authentication_required(request, *args, **kwargs)
