from django.contrib.auth import views as auth_views
from django.urls import path

from desk import compose_views, feed_views, lookup_views, media_views, news_views, results_views, views
from desk.forms import DeskLoginForm

app_name = "desk"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="desk/login.html", authentication_form=DeskLoginForm,
                                                redirect_authenticated_user=True, next_page="desk:home"),
         name="login"),
    # News items, image library and feeds (issue 19)
    path("news/", news_views.news_list, name="news"),
    path("news/new/", news_views.news_new, name="news_new"),
    path("news/<int:item_id>/", news_views.news_edit, name="news_edit"),
    path("images/", media_views.media_library, name="media"),
    # Image library: deleting an image (polish, round 3)
    path("images/<int:image_id>/delete/", media_views.media_delete, name="media_delete"),
    path("feeds/", feed_views.feed_list, name="feeds"),
    path("feeds/new/", feed_views.feed_new, name="feed_new"),
    path("feeds/<int:feed_id>/", feed_views.feed_detail, name="feed"),
    path("feeds/<int:feed_id>/status/", feed_views.feed_status, name="feed_status"),
    path("logout/", auth_views.LogoutView.as_view(next_page="desk:login"), name="logout"),
    # Digests: list, compose (create and edit a draft), live preview, send flow (compose_views).
    path("digests/", compose_views.digests, name="digests"),
    path("digests/new/", compose_views.digest_new, name="digest_new"),
    path("digests/compose-parts/", compose_views.digest_compose_parts, name="digest_compose_parts"),
    path("digests/preview/", compose_views.digest_preview, name="digest_preview"),
    path("digests/<int:digest_id>/edit/", compose_views.digest_edit, name="digest_edit"),
    path("digests/<int:digest_id>/confirm/<str:action>/", compose_views.digest_confirm, name="digest_confirm"),
    path("digests/<int:digest_id>/act/<str:action>/", compose_views.digest_act, name="digest_act"),
    # Results: the digests that went out, each digest's results, and the live view of sends.
    path("results/", results_views.results, name="results"),
    path("digests/<int:digest_id>/results/", results_views.digest_results, name="digest_results"),
    path("digests/<int:digest_id>/results/live/", results_views.digest_live, name="digest_live"),
    path("live/", results_views.live, name="live"),
    path("live/partial/", results_views.live_partial, name="live_partial"),
    path("subscriber/", lookup_views.subscriber_lookup, name="subscriber_lookup"),
]
