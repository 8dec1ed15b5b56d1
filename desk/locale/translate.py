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
    # Digests: list, compose page, preview and send flow (desk/compose_views.py).
    "Save": ("Enregistrer", "حفظ"),
    "Send a test": ("Envoyer un test", "إرسال رسالة اختبار"),
    "Send now": ("Envoyer maintenant", "الإرسال الآن"),
    "Schedule": ("Programmer", "جدولة"),
    "Mailing list": ("Liste de diffusion", "القائمة البريدية"),
    "Choose a list": ("Choisissez une liste", "اختر قائمة"),
    "Segment": ("Segment", "الشريحة"),
    "The whole list": ("Toute la liste", "القائمة كلها"),
    "News items": ("Actualités", "الأخبار"),
    "Send a test to": ("Envoyer un test à", "إرسال اختبار إلى"),
    "Send at": ("Envoyer le", "موعد الإرسال"),
    "Subject": ("Objet", "الموضوع"),
    "Preview line": ("Ligne d’aperçu", "سطر المعاينة"),
    "Shown after the subject in the inbox.": ("Affichée après l’objet dans la boîte de réception.", "يظهر بعد الموضوع في صندوق الوارد."),
    "Intro": ("Introduction", "المقدمة"),
    "Write a subject in %(language)s, the list's language.": ("Écrivez un objet en %(language)s, la langue de la liste.", "اكتب موضوعًا باللغة %(language)s، لغة القائمة."),
    "Choose the day and time to send it.": ("Choisissez le jour et l’heure de l’envoi.", "اختر يوم الإرسال وساعته."),
    "Draft saved. Test sent to %(addresses)s (%(languages)s).": ("Brouillon enregistré. Test envoyé à %(addresses)s (%(languages)s).", "حُفظت المسودة. أُرسل الاختبار إلى %(addresses)s (%(languages)s)."),
    "Draft saved.": ("Brouillon enregistré.", "حُفظت المسودة."),
    "This digest can no longer take this step.": ("Cette lettre ne peut plus passer par cette étape.", "لم يعد بالإمكان تنفيذ هذه الخطوة على هذه النشرة."),
    "Sending now.": ("Envoi en cours.", "جارٍ الإرسال الآن."),
    "Scheduled for %(time)s (%(zone)s).": ("Programmée pour le %(time)s (%(zone)s).", "مجدولة في %(time)s (%(zone)s)."),
    "Digest cancelled.": ("Lettre annulée.", "أُلغيت النشرة."),
    "Digests": ("Lettres d’information", "النشرات"),
    "Move up: %(title)s": ("Monter : %(title)s", "نقل إلى الأعلى: %(title)s"),
    "Move down: %(title)s": ("Descendre : %(title)s", "نقل إلى الأسفل: %(title)s"),
    "No news items to suggest for this list yet.": ("Aucune actualité à proposer pour cette liste pour l’instant.", "لا توجد أخبار مقترحة لهذه القائمة بعد."),
    "Preview in %(language)s": ("Aperçu en %(language)s", "معاينة باللغة %(language)s"),
    "Choose a list to see the preview.": ("Choisissez une liste pour voir l’aperçu.", "اختر قائمة لرؤية المعاينة."),
    "Segments of the chosen list only; the whole list when none is chosen.": ("Uniquement les segments de la liste choisie ; toute la liste si aucun n’est choisi.", "شرائح القائمة المختارة فقط؛ وتُرسل إلى القائمة كلها إن لم تُختر شريحة."),
    "Edit the digest": ("Modifier la lettre", "تعديل النشرة"),
    "Compose a digest": ("Composer une lettre", "إعداد نشرة"),
    "All digests": ("Toutes les lettres", "كل النشرات"),
    "Nothing was saved: please correct what is marked below.": ("Rien n’a été enregistré : corrigez ce qui est signalé ci-dessous.", "لم يُحفظ شيء: يُرجى تصحيح ما هو مُشار إليه أدناه."),
    "Audience": ("Destinataires", "الجمهور"),
    "Tick the items to send; drag a card, or use its arrows, to change the order.": ("Cochez les actualités à envoyer ; faites glisser une carte, ou utilisez ses flèches, pour changer l’ordre.", "حدّد الأخبار المراد إرسالها؛ اسحب البطاقة أو استخدم أسهمها لتغيير الترتيب."),
    "Search the items": ("Rechercher dans les actualités", "البحث في الأخبار"),
    "Title or source": ("Titre ou source", "العنوان أو المصدر"),
    "Texts": ("Textes", "النصوص"),
    "Save and send": ("Enregistrer et envoyer", "الحفظ والإرسال"),
    "Save the draft": ("Enregistrer le brouillon", "حفظ المسودة"),
    "Up to %(count)s addresses, one per line or separated by commas. Empty: your own address. Its links are marked as a test.": ("Jusqu’à %(count)s adresses, une par ligne ou séparées par des virgules. Vide : votre propre adresse. Ses liens sont marqués comme test.", "حتى %(count)s عناوين، عنوان في كل سطر أو مفصولة بفواصل. إن تُرك فارغًا: عنوانك أنت. روابط الرسالة مُعلَّمة كاختبار."),
    "Save and send a test": ("Enregistrer et envoyer un test", "الحفظ وإرسال اختبار"),
    "Send now…": ("Envoyer maintenant…", "الإرسال الآن…"),
    "You will see who it goes to and the pre-send check before anything is sent.": ("Vous verrez à qui elle part et le contrôle avant envoi avant que rien ne soit envoyé.", "سترى إلى من ستُرسل ونتيجة فحص ما قبل الإرسال قبل إرسال أي شيء."),
    "Send at (%(zone)s)": ("Envoyer le (%(zone)s)", "موعد الإرسال (%(zone)s)"),
    "Schedule…": ("Programmer…", "جدولة…"),
    "The preview appears here.": ("L’aperçu s’affiche ici.", "تظهر المعاينة هنا."),
    "Cancel this digest": ("Annuler cette lettre", "إلغاء هذه النشرة"),
    "A cancelled digest is never sent and cannot be edited again.": ("Une lettre annulée n’est jamais envoyée et ne peut plus être modifiée.", "النشرة الملغاة لا تُرسل أبدًا ولا يمكن تعديلها مجددًا."),
    "Cancel this digest…": ("Annuler cette lettre…", "إلغاء هذه النشرة…"),
    "Send this digest now?": ("Envoyer cette lettre maintenant ?", "إرسال هذه النشرة الآن؟"),
    "Schedule this digest?": ("Programmer cette lettre ?", "جدولة هذه النشرة؟"),
    "Cancel this digest?": ("Annuler cette lettre ?", "إلغاء هذه النشرة؟"),
    "It will never be sent, and it cannot be edited again.": ("Elle ne sera jamais envoyée et ne pourra plus être modifiée.", "لن تُرسل أبدًا ولن يمكن تعديلها مجددًا."),
    "It would have gone to %(audience)s.": ("Elle serait partie à %(audience)s.", "كانت ستُرسل إلى %(audience)s."),
    "It goes to <strong>%(audience)s</strong>.": ("Elle part à <strong>%(audience)s</strong>.", "تُرسل إلى <strong>%(audience)s</strong>."),
    "It goes out on %(time)s (%(zone)s).": ("Elle part le %(time)s (%(zone)s).", "تُرسل في %(time)s (%(zone)s)."),
    "The pre-send check found problems to fix first:": ("Le contrôle avant envoi a trouvé des problèmes à corriger d’abord :", "وجد فحص ما قبل الإرسال مشكلات يجب إصلاحها أولًا:"),
    "The pre-send check found nothing to fix.": ("Le contrôle avant envoi n’a rien trouvé à corriger.", "لم يجد فحص ما قبل الإرسال شيئًا يحتاج إلى إصلاح."),
    "Yes, send it now": ("Oui, l’envoyer maintenant", "نعم، أرسلها الآن"),
    "Yes, schedule it": ("Oui, la programmer", "نعم، جدولها"),
    "Yes, cancel this digest": ("Oui, annuler cette lettre", "نعم، ألغِ هذه النشرة"),
    "No, keep it": ("Non, la garder", "لا، احتفظ بها"),
    "No, go back": ("Non, revenir", "لا، عودة"),
    "Status": ("Statut", "الحالة"),
    "Send time (%(zone)s)": ("Heure d’envoi (%(zone)s)", "وقت الإرسال (%(zone)s)"),
    "Edit": ("Modifier", "تعديل"),
    "Open": ("Ouvrir", "فتح"),
    "Results": ("Résultats", "النتائج"),
    "No digests yet.": ("Aucune lettre pour l’instant.", "لا توجد نشرات بعد."),
    "Only a draft can be edited.": ("Seul un brouillon peut être modifié.", "لا يمكن تعديل إلا المسودة."),
}

# singular msgid: (French forms, Arabic forms)
P: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}

if __name__ == "__main__":
    fill_all(HERE, T, P)
