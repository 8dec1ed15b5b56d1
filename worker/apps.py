from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkerConfig(AppConfig):
    name = "worker"
    verbose_name = _("Delivery")

    def ready(self) -> None:
        # anymail's tracking signal (not a model signal). Connected after subscribers' receiver, which stores the
        # event and counts it: apps are ready in INSTALLED_APPS order and receivers run in connection order.
        from anymail.signals import tracking

        from worker.breaker import on_tracking_event

        tracking.connect(on_tracking_event, dispatch_uid="worker.breaker")
