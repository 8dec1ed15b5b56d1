from django.apps import AppConfig


class EditorialConfig(AppConfig):
    """The editors' side of the admin: dashboard, roles, audit trail, per-editor time zone."""

    name = "editorial"
    verbose_name = "Editorial"
