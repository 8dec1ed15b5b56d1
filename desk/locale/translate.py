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
    # Results (issue 19): the results list, a digest's results page, the live view of sends
    "Results": ("Résultats", "النتائج"),
    "Opens and clicks over time": ("Ouvertures et clics dans le temps", "مرات الفتح والنقر عبر الزمن"),
    "waiting for provider reports": ("en attente des rapports du fournisseur", "في انتظار تقارير مزوّد البريد"),
    "waiting": ("en attente", "قيد الانتظار"),
    "Progress": ("Progression", "التقدّم"),
    "Nothing is being sent right now.": ("Rien n’est en cours d’envoi.", "لا يُرسَل شيء الآن."),
    "dashboard section|Scheduled": ("Programmées", "المجدولة"),
    "This digest has not been scheduled yet.": (
        "Cette lettre d’information n’a pas encore été programmée.", "لم تُجدوَل هذه النشرة بعد."),
    "Sends at %(time)s.": ("Envoi le %(time)s.", "تُرسل في %(time)s."),
    "This page follows the send as it starts.": (
        "Cette page suit l’envoi dès qu’il commence.", "تتابع هذه الصفحة الإرسال فور بدئه."),
    "Preparing: choosing the recipients and writing each language's copy.": (
        "Préparation : choix des destinataires et rédaction de l’exemplaire de chaque langue.",
        "جارٍ التحضير: اختيار المستلمين وإعداد نسخة كل لغة."),
    "%(failed)s could not be sent, %(uncertain)s uncertain, %(skipped)s skipped (no longer subscribed).": (
        "%(failed)s n’ont pas pu être envoyés, %(uncertain)s incertains, %(skipped)s ignorés (plus abonnés).",
        "تعذّر إرسال %(failed)s، و%(uncertain)s غير مؤكدة، وتُخطّيت %(skipped)s (لم يعودوا مشتركين)."),
    "All results": ("Tous les résultats", "كل النتائج"),
    "Figures": ("Chiffres", "الأرقام"),
    "Waiting for provider reports: what happened to the copies (delivered, bounced, opened) shows as soon as the provider reports it.": (
        "En attente des rapports du fournisseur : ce qu’il est advenu des exemplaires (distribués, rejetés, ouverts) s’affiche dès que le fournisseur le signale.",
        "في انتظار تقارير مزوّد البريد: يظهر مصير النسخ (وصلت، ارتدّت، فُتحت) حالما يبلّغ عنه المزوّد."),
    "Shares are of the copies the provider accepted. Opens are a lower bound: many mail apps do not show images.": (
        "Les pourcentages portent sur les exemplaires acceptés par le fournisseur. Les ouvertures sont un minimum : beaucoup de messageries n’affichent pas les images.",
        "النسب محسوبة من النسخ التي قبلها المزوّد. مرات الفتح حدّ أدنى: كثير من تطبيقات البريد لا تعرض الصور."),
    "Opens and clicks are not tracked on this list, so this page cannot show them.": (
        "Les ouvertures et les clics ne sont pas suivis sur cette liste de diffusion : cette page ne peut donc pas les montrer.",
        "لا تُتتبّع مرات الفتح والنقر في هذه القائمة البريدية، لذا لا تستطيع هذه الصفحة عرضها."),
    "Bounces by kind": ("Rejets par type", "الارتدادات حسب النوع"),
    "None reported.": ("Aucun signalé.", "لم يُبلَّغ عن أي منها."),
    "By the hour for the first two days after the send started, then by the day.": (
        "Par heure pendant les deux premiers jours après le début de l’envoi, puis par jour.",
        "بالساعة خلال اليومين الأولين بعد بدء الإرسال، ثم باليوم."),
    "The same figures as a table": ("Les mêmes chiffres sous forme de tableau", "الأرقام نفسها في جدول"),
    "When": ("Quand", "متى"),
    "Opens": ("Ouvertures", "مرات الفتح"),
    "Clicks": ("Clics", "النقرات"),
    "Nobody has opened or clicked yet.": ("Personne n’a encore ouvert ni cliqué.", "لم يفتح أحد ولم ينقر بعد."),
    "Clicks per link": ("Clics par lien", "النقرات حسب الرابط"),
    "Link": ("Lien", "الرابط"),
    "Readers": ("Lecteurs", "القرّاء"),
    "Readers per language": ("Lecteurs par langue", "القرّاء حسب اللغة"),
    "No link has been clicked yet.": ("Aucun lien n’a encore été cliqué.", "لم يُنقر على أي رابط بعد."),
    "Per language": ("Par langue", "حسب اللغة"),
    "The provider's figures per language show once it has reported.": (
        "Les chiffres du fournisseur par langue s’affichent dès son premier rapport.",
        "تظهر أرقام المزوّد حسب اللغة حالما يرسل تقريره الأول."),
    "Follow the sends under way": ("Suivre les envois en cours", "متابعة عمليات الإرسال الجارية"),
    "Digest": ("Lettre d’information", "النشرة"),
    "Status": ("Statut", "الحالة"),
    "Started": ("Commencé", "بدأ"),
    "Audience": ("Audience", "الجمهور"),
    "Delivered": ("Distribués", "وصلت"),
    "Opened": ("Ouverts", "فُتحت"),
    "Clicked": ("Cliqués", "نُقر عليها"),
    "not tracked": ("non suivi", "غير متتبَّع"),
    "Pages": ("Pages", "الصفحات"),
    "Newer": ("Plus récentes", "الأحدث"),
    "Older": ("Plus anciennes", "الأقدم"),
    "No digest has been sent yet.": (
        "Aucune lettre d’information n’a encore été envoyée.", "لم تُرسل أي نشرة بعد."),
    "Pause, resume or cancel a send on the dashboard": (
        "Mettre en pause, reprendre ou annuler un envoi depuis le tableau de bord",
        "إيقاف إرسال مؤقتًا أو استئنافه أو إلغاؤه من لوحة المتابعة"),
    "The figures show here once the first copies are sent.": (
        "Les chiffres s’affichent ici dès l’envoi des premiers exemplaires.", "تظهر الأرقام هنا فور إرسال النسخ الأولى."),
}

# singular msgid: (French forms, Arabic forms)
P: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}

if __name__ == "__main__":
    fill_all(HERE, T, P)
