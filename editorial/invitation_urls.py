from django.urls import path

from editorial import invitation_views

# Public: the invited person has no account yet (outside /admin/, whose views require a staff login).
urlpatterns = [
    path("team/invitation/<str:token>/", invitation_views.accept, name="invitation_accept"),
]
