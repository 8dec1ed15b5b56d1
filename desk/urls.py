from django.contrib.auth import views as auth_views
from django.urls import path

from desk import lookup_views, results_views, views
from desk.forms import DeskLoginForm

app_name = "desk"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="desk/login.html", authentication_form=DeskLoginForm,
                                                redirect_authenticated_user=True, next_page="desk:home"),
         name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="desk:login"), name="logout"),
    # Results: the digests that went out, each digest's results, and the live view of sends.
    path("results/", results_views.results, name="results"),
    path("digests/<int:digest_id>/results/", results_views.digest_results, name="digest_results"),
    path("digests/<int:digest_id>/results/live/", results_views.digest_live, name="digest_live"),
    path("live/", results_views.live, name="live"),
    path("live/partial/", results_views.live_partial, name="live_partial"),
    path("subscriber/", lookup_views.subscriber_lookup, name="subscriber_lookup"),
]
