from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter(trailing_slash=False)
router.register("users", views.UserViewSet, basename="user")

app_name = "api"

urlpatterns = [
    path("me", views.MeView.as_view(), name="me"),
    path("", include(router.urls)),
]
