from django.contrib import admin
from django.urls import include, path, re_path

from oauth.views import ServerMetadataView
from throttling import views as throttling_views

from .health import healthz
from .views import ember_app

# The API first: every API request resolves its URL, so it should not be tried last.
urlpatterns = [
    path("api/", include("api.urls")),
    path("oauth/", include("social_login.urls")),
    path("oauth/", include("oauth.urls")),
    # accounts' login page, with the form that says when a refused sign-in may try again.
    path("accounts/login/", throttling_views.login),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),  # the load balancer's health check
    path(
        ".well-known/oauth-authorization-server",
        ServerMetadataView.as_view(),
        name="oauth-server-metadata",
    ),
    # Last: every other path without a dot in it is a route of the Ember app. A path with a
    # dot is a file, which whitenoise would have served: a missing asset stays a 404.
    re_path(r"^(?!(?:api|oauth|accounts|admin|static|assets|\.well-known)(?:/|$))[^.]*$", ember_app, name="ember-app"),
]

handler400 = "authsite.views.bad_request"
