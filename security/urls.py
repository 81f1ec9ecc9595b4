"""The security page's resources, included under /api/ by api.urls."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter(trailing_slash=False)
router.register("sessions", views.SessionViewSet, basename="session")
router.register("authorizations", views.AuthorizationViewSet, basename="authorization")
router.register("sign-in-methods", views.SignInMethodViewSet, basename="sign-in-method")
router.register("events", views.EventViewSet, basename="event")

urlpatterns = [
    path("password-changes", views.PasswordChangeView.as_view(), name="password-change"),
    *router.urls,
]
