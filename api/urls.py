from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter(trailing_slash=False)
router.register("users", views.UserViewSet, basename="user")

app_name = "api"

urlpatterns = [
    path("me", views.MeView.as_view(), name="me"),
    path("", include(router.urls)),
    path("", include("security.urls")),
    # The OpenAPI 3 document of /api/: YAML, or JSON with ?format=json (DRF's negotiation, not the API's one renderer).
    path("schema", SpectacularAPIView.as_view(content_negotiation_class=DefaultContentNegotiation), name="schema"),
]
