from django.contrib import admin
from django.urls import include, path

from oauth.views import ServerMetadataView

# The API first: every API request resolves its URL, so it should not be tried last.
urlpatterns = [
    path("api/", include("api.urls")),
    path("oauth/", include("oauth.urls")),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path(
        ".well-known/oauth-authorization-server",
        ServerMetadataView.as_view(),
        name="oauth-server-metadata",
    ),
]

handler400 = "authsite.views.bad_request"
