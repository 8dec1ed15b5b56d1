# ruff: noqa: E501 - a table of translations reads best one entry per line
"""Fill operations/locale/*/LC_MESSAGES/django.po from the table below, then run msgfmt.

Run by `python scripts/messages.py` after makemessages; prints every msgid that has no translation yet.
Plural entries are keyed by their singular msgid and give one French and one Arabic form per plural
case of the language (French: 2, Arabic: 6).
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "scripts"))
from po_fill import fill_all  # noqa: E402 - the script runs standalone, outside the package

# msgid: (French, Arabic)
T: dict[str, tuple[str, str]] = {
    "Operations": ("Exploitation", "التشغيل"),
    "Outbox": ("Boîte d’envoi", "صندوق الصادر"),
    "Links that act for the recipient (confirm, unsubscribe, preferences) are shown as text, not as links: copy this link into the address bar to act as the recipient, and only then.": (
        "Les liens qui agissent pour le destinataire (confirmation, désabonnement, préférences) sont affichés en texte, pas en liens : copiez ce lien dans la barre d’adresse pour agir comme le destinataire, et seulement alors.",
        "تظهر الروابط التي تتصرف نيابةً عن المستلم (التأكيد، إلغاء الاشتراك، التفضيلات) نصًا لا روابط: انسخ الرابط إلى شريط العنوان لتتصرف بصفتك المستلم، وعندها فقط."),
    "HTML part": ("Partie HTML", "جزء HTML"),
    "Text": ("Texte", "النص"),
    "outbox column|Sent": ("Envoyé", "أُرسلت"),
    "To": ("À", "إلى"),
    "Subject": ("Objet", "الموضوع"),
    "Nothing sent yet.": ("Rien n’a encore été envoyé.", "لم يُرسل شيء بعد."),
    "Rendered": ("Rendu", "العرض"),
    "open": ("ouvrir", "فتح"),
    "sent at": ("envoyé le", "أُرسل في"),
    "from email": ("expéditeur", "المُرسِل"),
    "to": ("destinataires", "المستلمون"),
    "Comma-separated recipients.": ("Destinataires séparés par des virgules.", "المستلمون مفصولون بفواصل."),
    "subject": ("objet", "الموضوع"),
    "headers": ("en-têtes", "الترويسات"),
    "text": ("texte", "النص"),
    "HTML": ("HTML", "HTML"),
    "raw message": ("message brut", "الرسالة الخام"),
    "The full RFC 5322 message as it would go on the wire.": ("Le message RFC 5322 complet tel qu’il partirait sur le réseau.", "رسالة RFC 5322 كاملة كما كانت ستُرسل عبر الشبكة."),
    "outbox message": ("message de la boîte d’envoi", "رسالة في صندوق الصادر"),
    "outbox messages": ("messages de la boîte d’envoi", "رسائل صندوق الصادر"),
    "hostname": ("nom d’hôte", "اسم المضيف"),
    "seen at": ("vu le", "شوهد في"),
    "marker": ("marqueur", "العلامة"),
    "worker heartbeat": ("signal de vie d’un worker", "نبضة عامل"),
    "worker heartbeats": ("signaux de vie des workers", "نبضات العمال"),
}

# singular msgid: (French forms, Arabic forms)
P: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "EMAIL_PROVIDER=outbox stores messages here instead of sending them. %(total)s message; newest first (up to 500).": (
        ("EMAIL_PROVIDER=outbox conserve ici les messages au lieu de les envoyer. %(total)s message ; les plus récents d’abord (500 au plus).",
         "EMAIL_PROVIDER=outbox conserve ici les messages au lieu de les envoyer. %(total)s messages ; les plus récents d’abord (500 au plus)."),
        ("يحفظ EMAIL_PROVIDER=outbox الرسائل هنا بدل إرسالها. عدد الرسائل: %(total)s؛ الأحدث أولًا (500 على الأكثر).",) * 6),
}

if __name__ == "__main__":
    fill_all(HERE, T, P)
