from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseNotFound, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin

from editorial.access import visible
from operations.health import health_report, public_health
from operations.models import OutboxMessage
from operations.outbox import outbox_html_for_display, outbox_readable_by, outbox_text_for_display


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    report = health_report()
    shown = report if request.user.is_staff else public_health(report)
    return JsonResponse(shown, status=200 if report["ok"] else 503)


def _outbox_page(view):
    """Administrators only (signed-out people go to the login page, Editors get 403), and never cached:
    every outbox page shows recipients' addresses and personal links."""

    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            response = redirect_to_login(request.get_full_path(), "admin:login")
        elif not outbox_readable_by(request.user):
            response = HttpResponseForbidden("The outbox shows subscribers' addresses: it is open to Administrators only.")
        else:
            try:
                response = view(request, *args, **kwargs)
            except Http404:
                response = HttpResponseNotFound("No such message in the outbox.")
        response.headers["Cache-Control"] = "private, no-store"
        return response

    return guarded


@_outbox_page
def outbox_list(request: HttpRequest) -> HttpResponse:
    # An organisation's Administrator sees its lists' messages only (editorial.access: by List-Id).
    shown = visible(OutboxMessage.objects.all(), request.user)
    messages = shown.only("id", "sent_at", "to", "subject")[:500]
    return render(request, "pages/outbox_list.html", {"messages": messages, "total": shown.count()})


@_outbox_page
def outbox_detail(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(visible(OutboxMessage.objects.all(), request.user), pk=pk)
    return render(request, "pages/outbox_detail.html", {"message": message, "text": outbox_text_for_display(message.text)})


@_outbox_page
@xframe_options_sameorigin
def outbox_html(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(visible(OutboxMessage.objects.all(), request.user), pk=pk)
    response = HttpResponse(outbox_html_for_display(message.html) if message.html else "<p>(no HTML part)</p>")
    # The message is shown inside a sandboxed iframe; this page itself may run nothing.
    response.headers["Content-Security-Policy"] = "default-src 'none'; img-src https: data:; style-src 'unsafe-inline'"
    return response
