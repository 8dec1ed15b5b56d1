# ruff: noqa: E501 - a table of translations reads best one entry per line
"""Fill desk/locale/*/LC_MESSAGES/django.po from the table below, then run msgfmt.

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
    "Editor's desk": ("Bureau de la rédaction", "مكتب التحرير"),
    "Home": ("Accueil", "الرئيسية"),
    "Look up a subscriber": ("Rechercher un abonné", "البحث عن مشترك"),
    "Live sends": ("Envois en direct", "الإرسال المباشر"),
    "Sections": ("Rubriques", "الأقسام"),
    "Language": ("Langue", "اللغة"),
    "Change": ("Changer", "تغيير"),
    "Sign out (%(name)s)": ("Se déconnecter (%(name)s)", "تسجيل الخروج (%(name)s)"),
    "Sign in": ("Se connecter", "تسجيل الدخول"),
    "Sign in to the editor's desk": ("Connexion au bureau de la rédaction", "تسجيل الدخول إلى مكتب التحرير"),
    "Username": ("Nom d’utilisateur", "اسم المستخدم"),
    "Password": ("Mot de passe", "كلمة المرور"),
    "Welcome, %(name)s": ("Bienvenue, %(name)s", "مرحبًا، %(name)s"),
    "You work for:": ("Vous travaillez pour :", "تعمل لصالح:"),
    "You belong to no organisation yet: ask an Administrator to add you to one.": ("Vous n’appartenez encore à aucune organisation : demandez à un administrateur de vous y ajouter.", "لا تنتمي إلى أي منظمة بعد: اطلب من أحد المسؤولين إضافتك إلى منظمة."),
    "This account cannot use the editor's desk. Ask an Administrator to invite you.": ("Ce compte ne peut pas utiliser le bureau de la rédaction. Demandez à un administrateur de vous inviter.", "لا يمكن لهذا الحساب استخدام مكتب التحرير. اطلب من أحد المسؤولين دعوتك."),
}

# singular msgid: (French forms, Arabic forms)
P: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}

if __name__ == "__main__":
    fill_all(HERE, T, P)
