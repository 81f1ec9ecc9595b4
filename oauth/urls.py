from django.urls import path
from oauth2_provider import views as dot_views

from . import views

# DOT's own namespace, so its metadata views and templates find these endpoints. Mounted at the
# site's root so that DOT, reversing the well-known documents, derives the one issuer (the origin).
app_name = "oauth2_provider"

urlpatterns = [
    path("oauth/authorize", views.AuthorizationView.as_view(), name="authorize"),
    path("oauth/token", views.TokenView.as_view(), name="token"),
    path("oauth/revoke", views.RevokeTokenView.as_view(), name="revoke-token"),
    path("oauth/introspect", views.IntrospectTokenView.as_view(), name="introspect"),
    path("oauth/userinfo", views.UserInfoView.as_view(), name="user-info"),
    path("oauth/jwks", dot_views.JwksInfoView.as_view(), name="jwks-info"),
    path("oauth/logout", views.RPInitiatedLogoutView.as_view(), name="rp-initiated-logout"),
    path(".well-known/oauth-authorization-server", views.ServerMetadataView.as_view(), name="oauth-server-metadata"),
    path(
        ".well-known/openid-configuration", views.ConnectDiscoveryInfoView.as_view(), name="oidc-connect-discovery-info"
    ),
]
