from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin

from worker.health import health_report
from worker.models import OutboxMessage


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    report = health_report()
    return JsonResponse(report, status=200 if report["ok"] else 503)


@staff_member_required
def outbox_list(request: HttpRequest) -> HttpResponse:
    messages = OutboxMessage.objects.only("id", "sent_at", "to", "subject")[:500]
    return render(request, "pages/outbox_list.html", {"messages": messages, "total": OutboxMessage.objects.count()})


@staff_member_required
def outbox_detail(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(OutboxMessage, pk=pk)
    return render(request, "pages/outbox_detail.html", {"message": message})


@staff_member_required
@xframe_options_sameorigin
def outbox_html(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(OutboxMessage, pk=pk)
    response = HttpResponse(message.html or "<p>(no HTML part)</p>")
    # The message is shown inside a sandboxed iframe; this page itself may run nothing.
    response.headers["Content-Security-Policy"] = "default-src 'none'; img-src https: data:; style-src 'unsafe-inline'"
    return response
