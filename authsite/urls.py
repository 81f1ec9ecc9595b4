from django.contrib import admin
from django.urls import include, path, re_path

from metrics import views as metrics_views
from throttling import views as throttling_views

from .health import healthz
from .views import api_not_found, ember_app, oauth_not_found

# The API first: every API request resolves its URL, so it should not be tried last.
urlpatterns = [
    path("api/", include("api.urls")),
    path("oauth/", include("social_login.urls")),
    path("", include("oauth.urls")),  # /oauth/… and the /.well-known/ documents
    # accounts' login page, with the form that says when a refused sign-in may try again.
    path("accounts/login/", throttling_views.login),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),  # the load balancer's health check
    path("metrics", metrics_views.metrics, name="metrics"),
    # Paths under the API and the OAuth endpoints that matched nothing above: a 404 in
    # their own format, with DEBUG on or off (Django's handler404 is not used under DEBUG).
    re_path(r"^api(?:/|$)", api_not_found),
    re_path(r"^oauth(?:/|$)", oauth_not_found),
    # Last: every other path without a dot in it is a route of the Ember app. A path with a
    # dot is a file, which whitenoise would have served: a missing asset stays a 404.
    re_path(
        r"^(?!(?:api|oauth|accounts|admin|static|assets|metrics|\.well-known)(?:/|$))[^.]*$",
        ember_app,
        name="ember-app",
    ),
]

handler400 = "authsite.views.bad_request"
handler500 = "authsite.views.server_error"
