"""The HTML snippet an organisation pastes into its own website to show a subscribe form for one list.

It posts JSON to /api/subscribe (the site's origin must be in SUBSCRIBE_CORS_ORIGINS) and shows the
answer in place. No cookies, no third-party scripts.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.html import escape

from subscribers.consent import consent_text
from subscribers.models import MailingList
from subscribers.texts import list_text

_SCRIPT = """<script>
(function () {
  var form = document.getElementById("%(form_id)s");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var out = form.querySelector("[data-message]");
    var data = {
      email: form.email.value, name: form.name.value, lists: [form.lists.value],
      consent: form.consent.checked, website: form.website.value,
      language: document.documentElement.lang || "%(language)s",
      time_zone: (window.Intl && Intl.DateTimeFormat().resolvedOptions().timeZone) || ""
    };
    fetch(form.action, {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(data)})
      .then(function (r) { return r.json(); })
      .then(function (body) {
        if (body.ok) { out.textContent = body.message; form.reset(); return; }
        var errors = body.errors || {};
        out.textContent = body.error || Object.keys(errors).map(function (k) { return errors[k].join(" "); }).join(" ");
      })
      .catch(function () { out.textContent = "Sorry, something went wrong. Please try again later."; });
  });
})();
</script>"""


def embed_snippet(mailing_list: MailingList, language: str | None = None) -> str:
    """The form for `language`'s readers (default: the list's default language): the list named in it."""
    language = language or mailing_list.default_language
    form_id = f"subscribe-{mailing_list.slug}"
    action = f"{settings.SITE_URL}/api/subscribe"
    list_name = list_text(mailing_list, "name", language=language)
    with translation.override(language):  # the form's readers', not the editor's who copies it
        consent = consent_text(mailing_list.organisation)
    return (
        f'<form id="{form_id}" action="{escape(action)}" method="post">\n'
        f'  <label>Email <input type="email" name="email" required maxlength="254" dir="auto"></label>\n'
        f'  <label>Name <input type="text" name="name" maxlength="200" dir="auto"></label>\n'
        f'  <input type="hidden" name="lists" value="{escape(mailing_list.slug)}">\n'
        f'  <div style="display:none" aria-hidden="true">'
        f'<input type="text" name="website" tabindex="-1" autocomplete="off"></div>\n'
        f'  <label><input type="checkbox" name="consent" required> '
        f'<span dir="auto">{escape(consent)}</span></label>\n'
        f'  <button type="submit">Subscribe to <span dir="auto">{escape(list_name)}</span></button>\n'
        f'  <p data-message role="status"></p>\n'
        f"</form>\n"
        + _SCRIPT % {"form_id": form_id, "language": language}
    )
