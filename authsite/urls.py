from django.contrib import admin
from django.urls import include, path

from oauth.views import ServerMetadataView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("oauth/", include("oauth.urls")),
    path("api/", include("api.urls")),
    path(
        ".well-known/oauth-authorization-server",
        ServerMetadataView.as_view(),
        name="oauth-server-metadata",
    ),
]

handler400 = "authsite.views.bad_request"
