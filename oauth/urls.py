from django.urls import path

from . import views

# DOT's own namespace, so its metadata view and templates find these endpoints.
app_name = "oauth2_provider"

urlpatterns = [
    path("authorize", views.AuthorizationView.as_view(), name="authorize"),
    path("token", views.TokenView.as_view(), name="token"),
    path("revoke", views.RevokeTokenView.as_view(), name="revoke-token"),
    path("introspect", views.IntrospectTokenView.as_view(), name="introspect"),
]
