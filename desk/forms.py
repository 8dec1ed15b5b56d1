from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class DeskLoginForm(AuthenticationForm):
    """The admin's rule: only staff accounts sign in to the desk."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "not_staff": _("This account cannot use the editor's desk. Ask an Administrator to invite you."),
    }

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if not user.is_staff:
            raise ValidationError(self.error_messages["not_staff"], code="not_staff")
