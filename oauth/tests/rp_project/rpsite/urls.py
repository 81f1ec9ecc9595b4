from django.urls import include, path

from . import views

urlpatterns = [
    path("oidc/", include("mozilla_django_oidc.urls")),
    path("whoami", views.whoami),
    path("logged-out", views.logged_out),
]
