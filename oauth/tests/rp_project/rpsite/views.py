from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse


def whoami(request):
    """The signed-in user's email, or `anonymous`."""
    return HttpResponse(request.user.email if request.user.is_authenticated else "anonymous", content_type="text/plain")


def logged_out(request):
    return HttpResponse(f"logged out, state={request.GET.get('state', '')}", content_type="text/plain")


def provider_logout_url(request):
    """Where mozilla-django-oidc sends the browser on logout: the provider's end_session_endpoint."""
    query = {
        "id_token_hint": request.session["oidc_id_token"],
        "post_logout_redirect_uri": request.build_absolute_uri("/logged-out"),
        "state": "rp-logout",
    }
    return f"{settings.OIDC_OP_LOGOUT_ENDPOINT}?{urlencode(query)}"
