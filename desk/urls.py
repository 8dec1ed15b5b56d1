from django.contrib.auth import views as auth_views
from django.urls import path

from desk import views
from desk.forms import DeskLoginForm

app_name = "desk"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="desk/login.html", authentication_form=DeskLoginForm,
                                                redirect_authenticated_user=True, next_page="desk:home"),
         name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="desk:login"), name="logout"),
]
