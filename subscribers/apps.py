from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubscribersConfig(AppConfig):
    name = "subscribers"
    verbose_name = _("Audience")

    def ready(self) -> None:
        # anymail's tracking signal is how provider webhooks reach us (not a model signal).
        from anymail.signals import tracking

        from subscribers import checks  # noqa: F401 - registers the deployment checks
        from subscribers.webhooks import on_tracking_event

        tracking.connect(on_tracking_event, dispatch_uid="subscribers.provider_events")
