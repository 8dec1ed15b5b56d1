# ruff: noqa: E501 - a table of translations reads best one entry per line
"""Fill worker/locale/*/LC_MESSAGES/django.po from the table below, then run msgfmt.

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
    "Delivery": ("Distribution", "التسليم"),
    # Circuit breaker email (templates/emails/breaker*.txt)
    'The send of "%(subject)s" (%(list)s) paused itself.': (
        "L’envoi de « %(subject)s » (%(list)s) s’est mis en pause de lui-même.",
        "أوقف إرسال «%(subject)s» (%(list)s) نفسه مؤقتًا."),
    "Figures so far: %(outcomes)s outcomes reported by the provider, %(blocks)s policy blocks, %(complaints)s spam complaints.": (
        "Chiffres à ce stade : %(outcomes)s résultats signalés par le prestataire, %(blocks)s blocages, %(complaints)s plaintes pour spam.",
        "الأرقام حتى الآن: %(outcomes)s نتيجة أبلغ عنها المزوّد، و%(blocks)s حالات حظر، و%(complaints)s شكاوى بريد مزعج."),
    "Most frequent answers of the receiving servers:": (
        "Réponses les plus fréquentes des serveurs destinataires :", "أكثر ردود الخوادم المستقبِلة تكرارًا:"),
    "A block is about us, not the readers: check the sending domain's SPF, DKIM and DMARC, and the content, before resuming. Nobody was suppressed for it.": (
        "Un blocage nous concerne, pas les lecteurs : vérifiez le SPF, le DKIM et le DMARC du domaine d’envoi, ainsi que le contenu, avant de reprendre. Personne n’a été exclu pour cela.",
        "الحظر يتعلق بنا لا بالقرّاء: تحقّق من SPF وDKIM وDMARC لنطاق الإرسال ومن المحتوى قبل الاستئناف. لم يُستبعد أي مشترك بسببه."),
    "Resume or cancel it on the dashboard: %(url)s": (
        "Reprenez-le ou annulez-le depuis le tableau de bord : %(url)s", "استأنفه أو ألغه من لوحة المتابعة: %(url)s"),
    'Sending paused: "%(subject)s" is being blocked': (
        "Envoi en pause : « %(subject)s » est bloqué", "الإرسال متوقف مؤقتًا: «%(subject)s» يتعرّض للحظر"),
    # Sends admin: the report
    "total": ("total", "الإجمالي"),
    "Progress": ("Progression", "التقدّم"),
    "%(sent)d/%(total)d sent": ("%(sent)d/%(total)d envoyés", "أُرسل %(sent)d/%(total)d"),
    "Uncertain": ("Incertain", "غير مؤكد"),
    "provider calls": ("appels au prestataire", "طلبات إلى المزوّد"),
    "batch %(id)s (%(size)s recipients): %(error)s": (
        "lot %(id)s (%(size)s destinataires) : %(error)s", "الدفعة %(id)s (%(size)s مستلمين): %(error)s"),
    "Uncertain (never resent by themselves):": (
        "Incertains (jamais renvoyés automatiquement) :", "غير مؤكدة (لا يُعاد إرسالها تلقائيًا أبدًا):"),
    "Failed batches:": ("Lots en échec :", "الدفعات الفاشلة:"),
    "%(digest)s: %(done)s.": ("%(digest)s : %(done)s.", "%(digest)s: %(done)s."),
    "Send now (or confirm a send that waits for confirmation)": (
        "Envoyer maintenant (ou confirmer un envoi en attente de confirmation)",
        "أرسل الآن (أو أكّد إرسالًا ينتظر التأكيد)"),
    "scheduled to send now": ("programmée pour un envoi immédiat", "جُدولت للإرسال الآن"),
    "Pause sending": ("Mettre l’envoi en pause", "إيقاف الإرسال مؤقتًا"),
    "send action result|paused": ("mise en pause", "أُوقفت مؤقتًا"),
    "Resume sending": ("Reprendre l’envoi", "استئناف الإرسال"),
    "send action result|resumed": ("reprise", "استؤنفت"),
    "Cancel sending": ("Annuler l’envoi", "إلغاء الإرسال"),
    "send action result|cancelled": ("annulée", "أُلغيت"),
    "Resend to uncertain recipients (they may get a second copy)": (
        "Renvoyer aux destinataires incertains (ils peuvent recevoir un second exemplaire)",
        "أعد الإرسال إلى المستلمين غير المؤكدين (قد تصلهم نسخة ثانية)"),
    "Cancelled.": ("Annulé.", "أُلغي."),
    "%(count)d uncertain recipient(s) queued again.": (
        "%(count)d destinataire(s) incertain(s) remis en file d’attente.",
        "أُعيد إلى قائمة الانتظار عدد من المستلمين غير المؤكدين: %(count)d."),
    "There is no digest with id %(id)s.": ("Il n’y a pas de lettre d’identifiant %(id)s.", "لا توجد نشرة بالمعرّف %(id)s."),
    # Models
    "digest": ("lettre d’information", "النشرة"),
    "provider": ("prestataire", "المزوّد"),
    "claimed at": ("pris en charge le", "وقت الاستلام"),
    "When a scan moved the digest to preparing.": (
        "Quand un balayage a fait passer la lettre en préparation.", "متى نقل الفحص الدوري النشرة إلى قيد التحضير."),
    "planned at": ("planifié le", "وقت التخطيط"),
    "When the audience was frozen into deliveries.": (
        "Quand l’audience a été figée en envois individuels.", "متى ثُبّت الجمهور في عمليات تسليم."),
    "last error": ("dernière erreur", "آخر خطأ"),
    "digest send": ("envoi d’une lettre", "إرسال نشرة"),
    "digest sends": ("envois des lettres", "عمليات إرسال النشرات"),
    "Pending": ("En attente", "قيد الانتظار"),
    "Submitting": ("Soumission en cours", "قيد التقديم"),
    "Submitted": ("Soumis", "قُدّمت"),
    "Failed": ("Échec", "فشلت"),
    "Cancelled": ("Annulée", "أُلغيت"),
    "Resent": ("Renvoyé", "أُعيد إرسالها"),
    "variant": ("version linguistique", "النسخة اللغوية"),
    "language": ("langue", "اللغة"),
    "status": ("état", "الحالة"),
    "size": ("taille", "الحجم"),
    "first subscriber id": ("identifiant du premier abonné", "معرّف أول مشترك"),
    "last subscriber id": ("identifiant du dernier abonné", "معرّف آخر مشترك"),
    "attempts": ("tentatives", "المحاولات"),
    "crashes": ("plantages", "الأعطال"),
    "claim token": ("jeton de prise en charge", "رمز الاستلام"),
    "claimed by": ("pris en charge par", "استلمه"),
    "rate slot at": ("créneau de débit à", "موعد حصة المعدّل"),
    "provider call started at": ("appel au prestataire commencé le", "بدء الطلب إلى المزوّد في"),
    "touched at": ("dernier signe de vie le", "آخر نشاط في"),
    "next attempt at": ("prochaine tentative le", "المحاولة التالية في"),
    "poked at": ("relancé le", "وقت التنبيه"),
    "finished at": ("terminé le", "انتهى في"),
    "error": ("erreur", "الخطأ"),
    "created at": ("créé le", "تاريخ الإنشاء"),
    "batch": ("lot", "الدفعة"),
    "batches": ("lots", "الدفعات"),
    "Accepted by the provider": ("Accepté par le prestataire", "قبلها المزوّد"),
    "Skipped": ("Écarté", "تُخطّيت"),
    "subscriber": ("abonné", "مشترك"),
    "provider message id": ("identifiant du message chez le prestataire", "معرّف الرسالة لدى المزوّد"),
    "sent at": ("envoyé le", "أُرسل في"),
    "delivery": ("envoi individuel", "التسليم"),
    "deliveries": ("envois individuels", "عمليات التسليم"),
    "send": ("envoi", "الإرسال"),
    "sends": ("envois", "عمليات الإرسال"),
    # The Sends admin's results page
    "Audience (copies planned)": ("Audience (exemplaires prévus)", "الجمهور (النسخ المخطط لها)"),
    "Sent (accepted by the provider)": ("Envoyés (acceptés par le prestataire)", "أُرسلت (قبلها المزوّد)"),
    "Delivered": ("Distribués", "وصلت"),
    "Bounced": ("Rejetés", "ارتدّت"),
    "Marked as spam": ("Signalés comme spam", "عُلّمت كبريد مزعج"),
    "Left through this digest's unsubscribe link": (
        "Désabonnés par le lien de ce numéro", "ألغوا الاشتراك عبر رابط هذه النشرة"),
    "Unsubscribed at the provider": ("Désabonnés chez le prestataire", "ألغوا الاشتراك لدى المزوّد"),
    "Opened": ("Ouverts", "فُتحت"),
    "Clicked": ("Cliqués", "نُقر عليها"),
    "Could not be sent": ("Envoi impossible", "تعذّر إرسالها"),
    "Uncertain (perhaps sent)": ("Incertains (peut-être envoyés)", "غير مؤكدة (ربما أُرسلت)"),
    "Skipped (no longer subscribed)": ("Ignorés (plus abonnés)", "تُخطّيت (لم يعودوا مشتركين)"),
    "Still to send": ("Restant à envoyer", "بانتظار الإرسال"),
    "Results": ("Résultats", "النتائج"),
    "Problems": ("Problèmes", "المشكلات"),
    "Technical": ("Technique", "تفاصيل تقنية"),
    "Status": ("Statut", "الحالة"),
    "Planned for": ("Prévu pour", "مخطط له في"),
    "Started": ("Commencé", "بدأ"),
    "Finished": ("Terminé", "انتهى"),
    "Figures": ("Chiffres", "الأرقام"),
    "waiting for provider reports": ("en attente des rapports du fournisseur", "في انتظار تقارير مزوّد البريد"),
    "Opens and clicks are not tracked on this list.": (
        "Les ouvertures et les clics ne sont pas suivis sur cette liste.", "لا تُتتبّع مرات الفتح والنقر في هذه القائمة."),
    "Per language": ("Par langue", "حسب اللغة"),
    "Language": ("Langue", "اللغة"),
    "Bounces by kind": ("Rejets par type", "الارتدادات حسب النوع"),
    "None reported.": ("Aucun signalé.", "لم يُبلَّغ عن أي منها."),
    "Clicks per link": ("Clics par lien", "النقرات حسب الرابط"),
    "Opens and clicks over time": ("Ouvertures et clics dans le temps", "مرات الفتح والنقر عبر الزمن"),
    "Link": ("Lien", "الرابط"),
    "Readers": ("Lecteurs", "القرّاء"),
    "Clicks": ("Clics", "النقرات"),
    "Batches": ("Lots", "الدفعات"),
    "No problem.": ("Aucun problème.", "لا توجد مشكلات."),
    "Delivery engine": ("Moteur d’envoi", "محرك الإرسال"),
    "Skipped: no item matches her interests": ("Ignorés : aucune actualité ne correspond à leurs centres d’intérêt", "تم تخطيهم: لا خبر يطابق اهتماماتهم"),
    # Local-time sends (docs/decisions/0020-local-time-sends.md)
    'Per time zone': ('Par fuseau horaire', 'حسب المنطقة الزمنية'),
    'At one moment for everybody.': ('Au même moment pour tout le monde.', 'في لحظة واحدة للجميع.'),
    'Time zone': ('Fuseau horaire', 'المنطقة الزمنية'),
    'Starts (UTC)': ('Début (UTC)', 'البداية (بالتوقيت العالمي)'),
    'State': ('État', 'الحالة'),
    'time zone': ('fuseau horaire', 'المنطقة الزمنية'),
}

# singular msgid: (French forms, Arabic forms: zero, one, two, few (3-10), many (11-99), other (100+))
P: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "%(digest)s: %(count)d uncertain recipient queued again.": (
        ("%(digest)s : %(count)d destinataire incertain remis en file d’attente.",
         "%(digest)s : %(count)d destinataires incertains remis en file d’attente."),
        ("%(digest)s: لم يُعد أي مستلم غير مؤكد إلى قائمة الانتظار (%(count)d).",
         "%(digest)s: أُعيد مستلم واحد غير مؤكد (%(count)d) إلى قائمة الانتظار.",
         "%(digest)s: أُعيد مستلمان غير مؤكدين (%(count)d) إلى قائمة الانتظار.",
         "%(digest)s: أُعيد %(count)d مستلمين غير مؤكدين إلى قائمة الانتظار.",
         "%(digest)s: أُعيد %(count)d مستلمًا غير مؤكد إلى قائمة الانتظار.",
         "%(digest)s: أُعيد %(count)d مستلم غير مؤكد إلى قائمة الانتظار.")),
}

if __name__ == "__main__":
    fill_all(HERE, T, P)
