"""What an editor sees when she previews a digest: the rendered HTML with her own name and address and inert links,
served as a sandboxed document. The admin's preview and the desk's compose page both show it."""

from __future__ import annotations

from newsletter import placeholders
from newsletter.selectors import web_version_url

# Preview documents are editor content rendered as a whole page: shown in a sandboxed iframe and
# served with a CSP that forbids scripts, so nothing in them can act with the editor's session.
PREVIEW_CSP = "sandbox; default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'"


def editor_preview_html(*, html: str, user, digest_id: int | None, language: str) -> str:
    """`html` (a variant's, placeholders still in it) filled for `user`; unsubscribe and preferences go nowhere."""
    return placeholders.fill_html(
        html,
        {
            "name": user.get_full_name() or user.get_username(),
            "email": user.email,
            "unsubscribe_url": "#unsubscribe-link",
            "preferences_url": "#preferences-link",
            "web_url": web_version_url(digest_id=digest_id, language=language) if digest_id else "#web-version",
        },
    )
