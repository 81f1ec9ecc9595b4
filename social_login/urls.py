from django.urls import path

from . import views

app_name = "social_login"

# Mounted under oauth/ beside DOT's endpoints, without trailing slashes like them.
urlpatterns = [
    path("social", views.providers, name="providers"),
    path("social/<str:backend>", views.SocialTokenView.as_view(), name="token"),
]
