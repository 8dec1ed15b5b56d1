from django.urls import path

from subscribers import views

urlpatterns = [
    path("", views.subscribe, name="home"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("api/subscribe", views.api_subscribe, name="api-subscribe"),
    path("api/subscribe/", views.api_subscribe),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    # Both with and without the slash: a POST must never be redirected (RFC 8058 clients do not follow).
    path("u/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("u/<str:token>", views.unsubscribe),
    path("preferences/<str:token>/", views.preferences, name="preferences"),
]
