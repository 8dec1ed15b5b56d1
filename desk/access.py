"""Who may open a desk page: a signed-in, active staff member (Editor or Administrator). What she then sees is
narrowed by organisation with editorial.access.visible(); what she may do by her role's permissions."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse


def desk_view(permission: str | None = None) -> Callable:
    """Decorate a desk view: sign-in page for strangers, 403 for non-staff or a missing permission."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse("desk:login"))
            if not (user.is_active and user.is_staff):
                raise PermissionDenied
            if permission is not None and not user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
