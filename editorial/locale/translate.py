# ruff: noqa: E501 - a table of translations reads best one entry per line
"""Fill editorial/locale/*/LC_MESSAGES/django.po from the table below, then run msgfmt.

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
    "Editorial": ("Rédaction", "التحرير"),
    "Django site admin": ("Administration", "الإدارة"),
    "Django administration": ("Administration", "الإدارة"),
    "%(organisation)s — newsletters": ("%(organisation)s — lettres d’information", "%(organisation)s — النشرات"),
    "Newsletters": ("Lettres d’information", "النشرات"),
    "Newsletters administration": ("Administration des lettres d’information", "إدارة النشرات"),
    "Dashboard": ("Tableau de bord", "لوحة المتابعة"),
    # Access by organisation (decision 0015)
    "Member of an organisation": ("Membre d’une organisation", "عضو في منظمة"),
    "organisation": ("organisation", "المنظمة"),
    "person": ("personne", "الشخص"),
    "since": ("depuis", "منذ"),
    "organisation membership": ("appartenance à une organisation", "عضوية في منظمة"),
    "organisation memberships": ("appartenances aux organisations", "العضويات في المنظمات"),
    "Every time is shown in this time zone. Change it in your editor settings.": (
        "Toutes les heures sont affichées dans ce fuseau horaire. Modifiez-le dans vos réglages d’éditrice.",
        "تُعرض جميع الأوقات بهذه المنطقة الزمنية. غيّرها من إعداداتك."),
    "Time zone": ("Fuseau horaire", "المنطقة الزمنية"),
    "What is scheduled, what is sending now, and how the last digests did": (
        "Ce qui est programmé, ce qui part en ce moment, et le bilan des derniers envois",
        "ما هو مجدول، وما يُرسل الآن، ونتائج آخر النشرات"),
    "object": ("objet", "العنصر"),
    "%(title)s: %(joined)d joined and %(left)d left in %(weeks)d weeks": (
        "%(title)s : %(joined)d arrivées et %(left)d départs en %(weeks)d semaines",
        "%(title)s: %(joined)d انضموا و%(left)d غادروا خلال %(weeks)d أسابيع"),
    "%(week)s: %(n)d joined": ("%(week)s : %(n)d arrivées", "%(week)s: انضم %(n)d"),
    "%(week)s: %(n)d left": ("%(week)s : %(n)d départs", "%(week)s: غادر %(n)d"),
    "%(n)d of %(total)d": ("%(n)d sur %(total)d", "%(n)d من %(total)d"),
    "filters need fixing": ("filtres à corriger", "المرشحات بحاجة إلى تصحيح"),
    "Delivery outcomes per digest": ("Résultats de livraison par envoi", "نتائج التسليم لكل نشرة"),
    "Audience of each segment beside its list": ("Audience de chaque segment à côté de sa liste", "جمهور كل شريحة مقارنة بقائمتها"),
    "Digest created": ("Lettre créée", "أُنشئت النشرة"),
    "Digest scheduled": ("Lettre programmée", "جُدولت النشرة"),
    "Digest rescheduled": ("Lettre reprogrammée", "أُعيدت جدولة النشرة"),
    "Digest back to draft": ("Lettre remise en brouillon", "أُعيدت النشرة إلى مسودة"),
    "Digest sent now": ("Lettre envoyée immédiatement", "أُرسلت النشرة فورًا"),
    "Digest cancelled": ("Lettre annulée", "أُلغيت النشرة"),
    "Digest paused": ("Envoi mis en pause", "أُوقف الإرسال مؤقتًا"),
    "Digest resumed": ("Envoi repris", "استؤنف الإرسال"),
    "Uncertain recipients resent": ("Renvoi aux destinataires incertains", "أُعيد الإرسال إلى المستلمين غير المؤكدين"),
    "Subscribers imported": ("Abonnés importés", "استُورد المشتركون"),
    "Subscribers exported": ("Abonnés exportés", "صُدّر المشتركون"),
    "Subscriber data exported": ("Données d’un abonné exportées", "صُدّرت بيانات مشترك"),
    "Subscriber erased": ("Abonné effacé", "مُحي مشترك"),
    "Role granted": ("Rôle attribué", "مُنح دور"),
    "time": ("heure", "الوقت"),
    "who": ("qui", "من"),
    "who (name)": ("qui (nom)", "من (الاسم)"),
    "action": ("action", "الإجراء"),
    "object type": ("type d’objet", "نوع العنصر"),
    "object id": ("identifiant de l’objet", "معرّف العنصر"),
    "description": ("description", "الوصف"),
    "details": ("détails", "التفاصيل"),
    "audit entry": ("entrée du journal", "قيد في السجل"),
    "audit trail": ("journal des actions", "سجل الإجراءات"),
    "about %(h)d h %(m)d min": ("environ %(h)d h %(m)d min", "حوالي %(h)d ساعة و%(m)d دقيقة"),
    "about %(m)d min %(s)d s": ("environ %(m)d min %(s)d s", "حوالي %(m)d دقيقة و%(s)d ثانية"),
    "%(sent)d of %(total)d sent": ("%(sent)d envoyés sur %(total)d", "أُرسل %(sent)d من %(total)d"),
    "%(rate).1f messages/s": ("%(rate).1f messages/s", "%(rate).1f رسالة/ث"),
    "delivered": ("livrés", "سُلّمت"),
    "bounced": ("rejetés (bounce)", "ارتدّت"),
    "complained": ("plaintes", "شكاوى"),
    "unsubscribed": ("désabonnés", "ألغوا الاشتراك"),
    "opened": ("ouverts", "فُتحت"),
    "clicked": ("cliqués", "نُقر عليها"),
    "Home": ("Accueil", "الرئيسية"),
    "Sending now": ("Envoi en cours", "يُرسل الآن"),
    "Nothing is being sent right now.": ("Rien n’est en cours d’envoi.", "لا شيء قيد الإرسال الآن."),
    "Progress": ("Progression", "التقدّم"),
    "%(failed)s failed, %(uncertain)s uncertain": ("%(failed)s en échec, %(uncertain)s incertains", "%(failed)s فشلت، %(uncertain)s غير مؤكدة"),
    "Pause": ("Mettre en pause", "إيقاف مؤقت"),
    "Resume": ("Reprendre", "استئناف"),
    "Cancel": ("Annuler", "إلغاء"),
    "Updated at %(time)s": ("Mis à jour à %(time)s", "حُدّث في %(time)s"),
    "dashboard section|Scheduled": ("Programmés", "المجدولة"),
    "Sends at": ("Envoi le", "موعد الإرسال"),
    "Digest": ("Lettre", "النشرة"),
    "List": ("Liste", "القائمة"),
    "Audience": ("Audience", "الجمهور"),
    "Status": ("État", "الحالة"),
    "Scheduled by": ("Programmé par", "جدولها"),
    "segment filters need fixing": ("les filtres du segment sont à corriger", "مرشحات الشريحة بحاجة إلى تصحيح"),
    "No digest is scheduled.": ("Aucune lettre n’est programmée.", "لا توجد نشرة مجدولة."),
    "Last sent": ("Derniers envois", "آخر ما أُرسل"),
    "Finished": ("Terminé", "انتهى"),
    "dashboard column|Sent": ("Envoyés", "أُرسلت"),
    "Delivered": ("Livrés", "سُلّمت"),
    "Bounced": ("Rejetés", "ارتدّت"),
    "Complained": ("Plaintes", "شكاوى"),
    "dashboard column|Unsubscribed": ("Désabonnés", "ألغوا الاشتراك"),
    "Opened": ("Ouverts", "فُتحت"),
    "Clicked": ("Cliqués", "نُقر عليها"),
    "Tracking is off for this list": ("Le suivi est désactivé pour cette liste", "التتبّع متوقف لهذه القائمة"),
    "No digest has been sent yet.": ("Aucune lettre n’a encore été envoyée.", "لم تُرسل أي نشرة بعد."),
    "Subscribers per list: joins and leaves per week": ("Abonnés par liste : arrivées et départs par semaine", "المشتركون في كل قائمة: المنضمون والمغادرون أسبوعيًا"),
    "No list yet.": ("Aucune liste pour l’instant.", "لا توجد قوائم بعد."),
    "joined (confirmed)": ("arrivées (confirmées)", "انضموا (مؤكَّد)"),
    "left (unsubscribed)": ("départs (désabonnements)", "غادروا (ألغوا الاشتراك)"),
    "Segments: who a digest would reach now": ("Segments : qui une lettre atteindrait maintenant", "الشرائح: من ستصله النشرة الآن"),
    "Recent activity": ("Activité récente", "النشاط الأخير"),
    "system": ("système", "النظام"),
    "Nothing recorded yet.": ("Rien n’est encore enregistré.", "لم يُسجَّل شيء بعد."),
    "The whole audit trail": ("Tout le journal des actions", "سجل الإجراءات كاملًا"),
    "accepted, no report yet": ("acceptés, sans retour pour l’instant", "قُبلت، دون تقرير بعد"),
    "send account|failed": ("en échec", "فشلت"),
    "uncertain": ("incertains", "غير مؤكدة"),
    "send account|skipped": ("écartés", "تُخطّيت"),
    "pending": ("en attente", "قيد الانتظار"),
    "digest status|Draft": ("Brouillon", "مسودة"),
    "digest status|Waiting for confirmation": ("En attente de confirmation", "بانتظار التأكيد"),
    "digest status|Preparing": ("En préparation", "قيد التحضير"),
    "digest status|Sending": ("Envoi en cours", "قيد الإرسال"),
    "digest status|Paused": ("En pause", "متوقف مؤقتًا"),
    "digest status|Cancelled": ("Annulée", "أُلغيت"),
    "digest status|Failed": ("Échec", "فشل"),
    "digest status|Scheduled": ("Programmée", "مجدولة"),
    "digest status|Sent": ("Envoyée", "أُرسلت"),
    "Confirm: send now": ("Confirmer : envoyer maintenant", "تأكيد: أرسل الآن"),
    "The full account of this send": ("Le compte rendu complet de cet envoi", "الحساب الكامل لهذا الإرسال"),
    "%(action)s from the dashboard.": ("%(action)s depuis le tableau de bord.", "%(action)s من لوحة المتابعة."),
    "%(subject)s: %(action)s.": ("%(subject)s : %(action)s.", "%(subject)s: %(action)s."),
    "left through its links": ("partis par ses liens", "غادروا عبر روابطها"),
    "unsubscribed at the provider": ("désabonnés chez le prestataire", "ألغوا الاشتراك لدى مزوّد البريد"),
    "Through the unsubscribe link or one-click of this digest": (
        "Par le lien de désabonnement ou le désabonnement en un clic de cette lettre",
        "عبر رابط إلغاء الاشتراك أو الإلغاء بنقرة واحدة في هذه النشرة"),
    "Left through it": ("Partis par elle", "غادروا عبرها"),
    "Unsubscribes the provider reported": ("Désabonnements signalés par le prestataire", "حالات إلغاء الاشتراك التي أبلغ عنها المزوّد"),
    "Clicks per link: %(subject)s": ("Clics par lien : %(subject)s", "النقرات لكل رابط: %(subject)s"),
    "Link": ("Lien", "الرابط"),
    "Readers": ("Lecteurs", "القرّاء"),
    "Clicks": ("Clics", "النقرات"),
    "Sending paused by the circuit breaker: %(subject)s": ("Envoi mis en pause par le disjoncteur : %(subject)s", "أوقف قاطع الحماية الإرسال مؤقتًا: %(subject)s"),
    "%(blocks)s policy blocks (%(block_percent)s%%) and %(complaints)s spam complaints (%(complaint_percent)s%%) in %(outcomes)s outcomes.": (
        "%(blocks)s blocages (%(block_percent)s %%) et %(complaints)s plaintes pour spam (%(complaint_percent)s %%) sur %(outcomes)s résultats.",
        "%(blocks)s حالات حظر (%(block_percent)s%%) و%(complaints)s شكاوى بريد مزعج (%(complaint_percent)s%%) من أصل %(outcomes)s نتيجة."),
    "Blocks are about the sender (authentication, reputation, content), not the readers: nobody was suppressed for them.": (
        "Les blocages concernent l’expéditeur (authentification, réputation, contenu), pas les lecteurs : personne n’a été exclu pour cela.",
        "يتعلق الحظر بالمُرسِل (التوثيق والسمعة والمحتوى) لا بالقرّاء: لم يُستبعد أي مشترك بسببه."),
}

# singular msgid: (French forms, Arabic forms)
P: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "about %(s)d second": (
        ("environ %(s)d seconde", "environ %(s)d secondes"),
        ("حوالي %(s)d ثانية",) * 6,
    ),
    "%(counter)s active subscriber": (
        ("%(counter)s abonné actif", "%(counter)s abonnés actifs"),
        ("%(counter)s مشترك نشط",) * 6,
    ),
}

if __name__ == "__main__":
    fill_all(HERE, T, P)
