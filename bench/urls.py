"""
The site's URLs plus the baselines /api/me and /oauth/token are measured against:

- /bench/bare: a plain Django view with no authentication, the ceiling for any JSON view;
- /bench/stock-me: the same data as /api/me the stock way, a plain DRF view behind
  django-oauth-toolkit's own OAuth2Authentication and DRF's JSON renderer;
- /bench/stock-token: django-oauth-toolkit's TokenView exactly as it ships;
- /bench/stock-introspect: django-oauth-toolkit's IntrospectTokenView exactly as it ships.
"""

from django.http import JsonResponse
from django.urls import path
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from oauth2_provider.views import IntrospectTokenView, TokenView
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from authsite import urls as site

BARE_DOCUMENT = {
    "id": 1,
    "email": "bench@example.com",
    "first_name": "Bench",
    "last_name": "User",
    "date_joined": "2025-01-01T00:00:00Z",
}


def bare_view(request):
    return JsonResponse(BARE_DOCUMENT)


class StockMeView(APIView):
    authentication_classes = [OAuth2Authentication]
    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]

    def get(self, request):
        user = request.user
        return Response(
            {
                "id": user.pk,
                "email": user.email,
                "first_name": user.first_name,
                "last_name": user.last_name,
                "date_joined": user.date_joined,
            }
        )


api, *rest = site.urlpatterns
if str(api.pattern) != "api/":
    raise RuntimeError("bench/urls.py expects the API's include first in authsite/urls.py")

# The API first, as on the site, so /api/me resolves as it does in production; the baselines
# next, each behind that one failed prefix check (they come first in nothing the site serves).
urlpatterns = [
    api,
    path("bench/bare", bare_view, name="bench-bare"),
    path("bench/stock-me", StockMeView.as_view(), name="bench-stock-me"),
    path("bench/stock-token", TokenView.as_view(), name="bench-stock-token"),
    path("bench/stock-introspect", IntrospectTokenView.as_view(), name="bench-stock-introspect"),
    *rest,
]
handler400, handler500 = site.handler400, site.handler500
