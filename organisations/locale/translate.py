# ruff: noqa: E501 - a table of translations reads best one entry per line
"""Fill organisations/locale/*/LC_MESSAGES/django.po from the table below, then run msgfmt.

Run by `python scripts/messages.py` after makemessages; prints every msgid that has no translation yet.
Terms shared with the other apps' tables: organisation = « organisation » / «المنظمة», sending domain =
« domaine d’envoi » / «نطاق الإرسال», consent text = « texte du consentement » / «نص الموافقة».
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "scripts"))
from po_fill import fill_all  # noqa: E402 - the script runs standalone, outside the package

# msgid: (French, Arabic)
T: dict[str, tuple[str, str]] = {
    "Organisations": ("Organisations", "المنظمات"),
    # Admin
    "organisation fieldset|Consent": ("Consentement", "الموافقة"),
    "organisation fieldset|Sending": ("Envoi", "الإرسال"),
    # Models
    "Use a colour like #1a73e8.": ("Utilisez une couleur comme #1a73e8.", "استخدم لونًا مثل #1a73e8."),
    "Use a domain name like mg.example.org (lower case, no @, no http://).": (
        "Utilisez un nom de domaine comme mg.example.org (en minuscules, sans @ ni http://).",
        "استخدم اسم نطاق مثل mg.example.org (بأحرف صغيرة، دون @ ودون http://)."),
    "name": ("nom", "الاسم"),
    "postal address": ("adresse postale", "العنوان البريدي"),
    "Printed in the footer of every email (the law requires it in many countries).": (
        "Affichée en bas de chaque e-mail (la loi l’exige dans de nombreux pays).",
        "يظهر في تذييل كل رسالة (يشترطه القانون في بلدان كثيرة)."),
    "website": ("site web", "الموقع الإلكتروني"),
    "logo URL": ("adresse du logo", "عنوان الشعار"),
    "Used by the lists that have no logo of their own.": (
        "Utilisé par les listes qui n’ont pas leur propre logo.",
        "تستخدمه القوائم التي ليس لها شعار خاص بها."),
    "default accent colour": ("couleur d’accent par défaut", "لون التمييز الافتراضي"),
    "Used by the lists that have no accent colour of their own.": (
        "Utilisée par les listes qui n’ont pas leur propre couleur d’accent.",
        "تستخدمه القوائم التي ليس لها لون تمييز خاص بها."),
    "consent text": ("texte du consentement", "نص الموافقة"),
    "Shown next to the subscribe checkbox and stored with every consent. Blank: the standard sentence naming the organisation.": (
        "Affiché à côté de la case d’abonnement et conservé avec chaque consentement. Vide : la phrase standard qui nomme l’organisation.",
        "يظهر بجانب مربع الاشتراك ويُحفظ مع كل موافقة. إن تُرك فارغًا: الجملة المعتادة التي تذكر اسم المنظمة."),
    "sending domain": ("domaine d’envoi", "نطاق الإرسال"),
    "The domain authenticated at the email provider (SPF, DKIM) that sends this organisation's emails, e.g. mg.example.org. Blank: the installation's MAILGUN_SENDER_DOMAIN.": (
        "Le domaine, authentifié chez le prestataire d’e-mail (SPF, DKIM), qui envoie les e-mails de cette organisation, par ex. mg.example.org. Vide : le MAILGUN_SENDER_DOMAIN de l’installation.",
        "النطاق الموثَّق لدى مزوّد البريد (SPF وDKIM) الذي تُرسل منه رسائل هذه المنظمة، مثل mg.example.org. إن تُرك فارغًا: قيمة MAILGUN_SENDER_DOMAIN في إعدادات النظام."),
    "Feedback-ID sender id": ("identifiant d’expéditeur Feedback-ID", "معرّف المُرسِل في Feedback-ID"),
    "Short id in every email's Feedback-ID header (Gmail Postmaster Tools), e.g. mmm.": (
        "Identifiant court placé dans l’en-tête Feedback-ID de chaque e-mail (Gmail Postmaster Tools), par ex. mmm.",
        "معرّف قصير يوضع في ترويسة Feedback-ID لكل رسالة (Gmail Postmaster Tools)، مثل mmm."),
    "organisation": ("organisation", "المنظمة"),
    "organisations": ("organisations", "المنظمات"),
    # Sending domain and DMARC alignment (organisations.sending)
    "The sender address %(from_email)s is not on the sending domain of %(organisation)s (%(domain)s): receiving servers would fail its DMARC check and may reject the emails or file them as spam. Either give the list a sender address at %(expected)s, or set the organisation's sending domain to a domain under %(from_domain)s that is authenticated (SPF and DKIM) at your email provider.": (
        "L’adresse d’expéditeur %(from_email)s n’est pas sur le domaine d’envoi de %(organisation)s (%(domain)s) : le contrôle DMARC échouerait sur les serveurs de réception, qui pourraient refuser les e-mails ou les classer comme spam. Donnez à la liste une adresse d’expéditeur sur le domaine %(expected)s, ou choisissez comme domaine d’envoi de l’organisation un domaine sous %(from_domain)s authentifié (SPF et DKIM) chez votre prestataire d’e-mail.",
        "عنوان المُرسِل %(from_email)s ليس على نطاق إرسال %(organisation)s (%(domain)s): ستفشل الرسائل في فحص DMARC لدى الخوادم المستقبِلة، وقد تُرفض أو تُصنَّف بريدًا مزعجًا. فإما أن تعطي القائمة عنوان مُرسِل على النطاق %(expected)s، وإما أن تجعل نطاق إرسال المنظمة نطاقًا تحت %(from_domain)s موثَّقًا (SPF وDKIM) لدى مزوّد البريد الذي تستخدمه."),
}

if __name__ == "__main__":
    fill_all(HERE, T)
