from django.contrib.auth.views import LoginView

from .forms import ThrottledLoginForm

# accounts' login page with the form that says when to try again (authsite/urls.py routes it).
login = LoginView.as_view(authentication_form=ThrottledLoginForm, redirect_authenticated_user=True)
