# ruff: noqa: E501 - a table of translations reads best one entry per line
"""Fill subscribers/locale/*/LC_MESSAGES/django.po from the table below, then run msgfmt.

Run by `python scripts/messages.py` after makemessages; prints every msgid that has no translation yet.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "scripts"))
from po_fill import fill_all  # noqa: E402 - the script runs standalone, outside the package

# msgid: (French, Arabic)
T: dict[str, tuple[str, str]] = {
    "Audience": ("Audience", "الجمهور"),
    "subscription status": ("statut de l’abonnement", "حالة الاشتراك"),
    "%(count)d subscriber(s) left out: they are also on lists of organisations you do not belong to, so only a superuser may export or erase all their data. You can end your lists' subscriptions of them in Subscriptions.": (
        "%(count)d abonné·e(s) laissé·e(s) de côté : elles sont aussi sur des listes d’organisations dont vous n’êtes pas membre, donc seul un superutilisateur peut exporter ou effacer toutes leurs données. Vous pouvez mettre fin à leurs abonnements à vos listes dans Abonnements.",
        "تُرك %(count)d من المشتركين جانبًا: فهم مشتركون أيضًا في قوائم منظمات لست عضوًا فيها، لذا لا يمكن إلا لمستخدم خارق تصدير جميع بياناتهم أو محوها. يمكنك إنهاء اشتراكاتهم في قوائمك من صفحة الاشتراكات."),
    "Confirm your subscription": ("Confirmez votre abonnement", "أكّد اشتراكك"),
    "Thank you!": ("Merci !", "شكرًا لك!"),
    "Your subscription is confirmed. You will receive:": ("Votre abonnement est confirmé. Vous recevrez :", "تم تأكيد اشتراكك. ستصلك:"),
    "Press the button to confirm that you want to receive:": (
        "Appuyez sur le bouton pour confirmer que vous souhaitez recevoir :", "اضغط على الزر لتأكيد رغبتك في تلقّي:"),
    "Confirm my subscription": ("Confirmer mon abonnement", "تأكيد اشتراكي"),
    "This link is not valid": ("Ce lien n’est pas valide", "هذا الرابط غير صالح"),
    "The link is incomplete, has expired or was changed. Please use the link from your most recent email, or subscribe again.": (
        "Le lien est incomplet, a expiré ou a été modifié. Utilisez le lien de votre e-mail le plus récent, ou abonnez-vous à nouveau.",
        "الرابط ناقص أو منتهي الصلاحية أو تم تعديله. استخدم الرابط الموجود في أحدث رسالة وصلتك، أو اشترك من جديد."),
    "Subscribe": ("S’abonner", "اشترك"),
    "Your preferences": ("Vos préférences", "تفضيلاتك"),
    "Newsletters you add are confirmed by email first.": (
        "Les lettres que vous ajoutez sont d’abord confirmées par e-mail.", "النشرات التي تضيفها تحتاج إلى تأكيد عبر البريد الإلكتروني أولًا."),
    "Save my preferences": ("Enregistrer mes préférences", "حفظ تفضيلاتي"),
    "Unsubscribe from everything": ("Me désabonner de tout", "إلغاء الاشتراك في كل شيء"),
    "Subscribe to our news": ("Abonnez-vous à nos actualités", "اشترك في أخبارنا"),
    "Receive our news by email. We send you a message to confirm your address first.": (
        "Recevez nos actualités par e-mail. Nous vous envoyons d’abord un message pour confirmer votre adresse.",
        "تلقَّ أخبارنا عبر البريد الإلكتروني. سنرسل لك أولًا رسالة لتأكيد عنوانك."),
    "Too many requests": ("Trop de demandes", "طلبات كثيرة جدًا"),
    "Too many requests. Please try again later.": ("Trop de demandes. Veuillez réessayer plus tard.", "طلبات كثيرة جدًا. يُرجى المحاولة لاحقًا."),
    "Check your inbox": ("Consultez votre boîte de réception", "تحقّق من بريدك الوارد"),
    "Thank you. Please check your inbox: we sent you an email to confirm your subscription.": (
        "Merci. Consultez votre boîte de réception : nous vous avons envoyé un e-mail pour confirmer votre abonnement.",
        "شكرًا لك. تحقّق من بريدك الوارد: أرسلنا إليك رسالة لتأكيد اشتراكك."),
    "Nothing arrived? Look in your spam folder. The link in the email works for 7 days.": (
        "Rien reçu ? Regardez dans vos indésirables. Le lien de l’e-mail est valable 7 jours.",
        "لم يصلك شيء؟ تحقّق من مجلد الرسائل غير المرغوب فيها. الرابط في الرسالة صالح لمدة 7 أيام."),
    "Unsubscribe": ("Se désabonner", "إلغاء الاشتراك"),
    "You are unsubscribed": ("Vous êtes désabonné·e", "تم إلغاء اشتراكك"),
    "You will receive no more emails from “%(name)s”.": (
        "Vous ne recevrez plus d’e-mails de « %(name)s ».", "لن تصلك بعد الآن رسائل من «%(name)s»."),
    "You will receive no more emails from this newsletter.": (
        "Vous ne recevrez plus d’e-mails de cette lettre d’information.", "لن تصلك بعد الآن رسائل من هذه النشرة."),
    "Stop receiving “%(name)s” at this address?": (
        "Ne plus recevoir « %(name)s » à cette adresse ?", "هل تريد التوقف عن تلقّي «%(name)s» على هذا العنوان؟"),
    "Stop receiving this newsletter at this address?": (
        "Ne plus recevoir cette lettre d’information à cette adresse ?", "هل تريد التوقف عن تلقّي هذه النشرة على هذا العنوان؟"),
    "Manage all your subscriptions": ("Gérer tous vos abonnements", "إدارة جميع اشتراكاتك"),
    "Email address": ("Adresse e-mail", "عنوان البريد الإلكتروني"),
    "Name (optional)": ("Nom (facultatif)", "الاسم (اختياري)"),
    "Language of the emails": ("Langue des e-mails", "لغة الرسائل"),
    "Newsletters": ("Lettres d’information", "النشرات"),
    "Choose at least one newsletter.": ("Choisissez au moins une lettre d’information.", "اختر نشرة واحدة على الأقل."),
    "%(value)s is not a newsletter you can subscribe to.": (
        "%(value)s n’est pas une lettre d’information à laquelle vous pouvez vous abonner.", "%(value)s ليست نشرة يمكنك الاشتراك فيها."),
    "Interests (optional)": ("Centres d’intérêt (facultatif)", "الاهتمامات (اختياري)"),
    "%(value)s is not a known interest.": ("%(value)s n’est pas un centre d’intérêt connu.", "%(value)s ليس اهتمامًا معروفًا."),
    "Please tick the box to agree to receive our emails.": (
        "Cochez la case pour accepter de recevoir nos e-mails.", "يُرجى تحديد المربع للموافقة على تلقّي رسائلنا."),
    "Leave this field empty": ("Laissez ce champ vide", "اترك هذا الحقل فارغًا"),
    "The name cannot contain line breaks.": ("Le nom ne peut pas contenir de retour à la ligne.", "لا يمكن أن يحتوي الاسم على فواصل أسطر."),
    "Interests": ("Centres d’intérêt", "الاهتمامات"),
    "Hello,": ("Bonjour,", "مرحبًا،"),
    "Someone, probably you, asked to receive these newsletters at this address:": (
        "Quelqu’un, sans doute vous, a demandé à recevoir ces lettres d’information à cette adresse :",
        "طلب شخص ما، على الأرجح أنت، تلقّي هذه النشرات على هذا العنوان:"),
    "To confirm, open this link and press the Confirm button:": (
        "Pour confirmer, ouvrez ce lien et appuyez sur le bouton Confirmer :", "للتأكيد، افتح هذا الرابط واضغط على زر التأكيد:"),
    "The link works for 7 days. If you did not ask for this, ignore this email: without your click you are not subscribed, and however often someone types your address we send at most one such email an hour and %(per_week)s a week.": (
        "Le lien est valable 7 jours. Si vous n’avez rien demandé, ignorez cet e-mail : sans votre clic vous n’êtes pas abonné·e, et même si quelqu’un saisit souvent votre adresse, nous envoyons au plus un tel e-mail par heure et %(per_week)s par semaine.",
        "الرابط صالح لمدة 7 أيام. إذا لم تطلب ذلك، تجاهل هذه الرسالة: لن يتم اشتراكك دون نقرتك، ومهما كرّر أحدهم كتابة عنوانك فلن نرسل أكثر من رسالة كهذه كل ساعة و%(per_week)s في الأسبوع."),
    "Please confirm your subscription to %(organisation)s": (
        "Confirmez votre abonnement à %(organisation)s", "يُرجى تأكيد اشتراكك في %(organisation)s"),
    "Change what you receive:": ("Modifier ce que vous recevez :", "غيّر ما يصلك:"),
    "Unsubscribe:": ("Se désabonner :", "إلغاء الاشتراك:"),
    "Welcome to %(name)s": ("Bienvenue dans %(name)s", "مرحبًا بك في %(name)s"),
    "Language": ("Langue", "اللغة"),
    "This unsubscribe link is not valid.": ("Ce lien de désabonnement n’est pas valide.", "رابط إلغاء الاشتراك هذا غير صالح."),
    "You have been unsubscribed.": ("Vous êtes désabonné·e.", "تم إلغاء اشتراكك."),
    "You have left every newsletter: we will send you none of them any more.": (
        "Vous êtes désabonné·e de toutes les lettres : nous ne vous en enverrons plus aucune.",
        "ألغيت اشتراكك في جميع النشرات: لن نرسل إليك أيًّا منها بعد الآن."),
    "Your preferences are saved.": ("Vos préférences sont enregistrées.", "تم حفظ تفضيلاتك."),
    "We sent you an email: confirm it to start receiving the newsletters you added.": (
        "Nous vous avons envoyé un e-mail : confirmez-le pour recevoir les lettres ajoutées.",
        "أرسلنا إليك رسالة: أكّدها لتبدأ في تلقّي النشرات التي أضفتها."),
    "I agree that %(organisation)s emails me the newsletters I chose. I can unsubscribe at any time "
    "with the link in every email. My address is never shared.": (
        "J’accepte que %(organisation)s m’envoie par e-mail les lettres choisies. Je peux me désabonner à tout moment "
        "grâce au lien présent dans chaque e-mail. Mon adresse n’est jamais partagée.",
        "أوافق على أن ترسل لي %(organisation)s النشرات التي اخترتها. يمكنني إلغاء الاشتراك في أي وقت "
        "عبر الرابط الموجود في كل رسالة. لن تتم مشاركة عنواني أبدًا."),
    "waiting for your confirmation: check your inbox": (
        "en attente de votre confirmation : consultez votre boîte de réception", "بانتظار تأكيدك: تحقّق من بريدك الوارد"),
    "This link no longer works": ("Ce lien ne fonctionne plus", "هذا الرابط لم يعد يعمل"),
    "You unsubscribed after we sent this confirmation email, so it cannot subscribe you again. If you want our newsletters again, ask for them on the subscribe page: we will send you a new email to confirm.": (
        "Vous vous êtes désabonné(e) après l’envoi de cet e-mail de confirmation : il ne peut donc plus vous réabonner. Si vous souhaitez de nouveau recevoir nos lettres, demandez-les sur la page d’abonnement : nous vous enverrons un nouvel e-mail à confirmer.",
        "لقد ألغيت اشتراكك بعد أن أرسلنا رسالة التأكيد هذه، لذا لا يمكنها إعادة اشتراكك. إذا أردت نشراتنا من جديد، فاطلبها من صفحة الاشتراك: سنرسل إليك رسالة جديدة لتأكيدها."),
    "Go to the subscribe page": ("Aller à la page d’abonnement", "الانتقال إلى صفحة الاشتراك"),
    "That was a mistake: undo": ("C’était une erreur : annuler", "كان ذلك خطأ: تراجع"),
    "Send the confirmation email again": ("Renvoyer l’e-mail de confirmation", "أعد إرسال رسالة التأكيد"),
    "To protect inboxes we send at most one confirmation email an hour for the same newsletters: if you asked a moment ago, the email we sent then is the one to use.": (
        "Pour protéger les boîtes de réception, nous envoyons au plus un e-mail de confirmation par heure pour les mêmes lettres : si vous avez fait la demande il y a un instant, utilisez l’e-mail envoyé alors.",
        "لحماية صناديق البريد، نرسل رسالة تأكيد واحدة على الأكثر كل ساعة للنشرات نفسها: إذا طلبت ذلك قبل قليل، فاستخدم الرسالة التي أرسلناها حينها."),
    "This can no longer be undone here. You can manage your subscriptions on your preferences page.": (
        "Cela ne peut plus être annulé ici. Vous pouvez gérer vos abonnements sur votre page de préférences.",
        "لم يعد من الممكن التراجع عن ذلك هنا. يمكنك إدارة اشتراكاتك من صفحة تفضيلاتك."),
    "Done: you are subscribed again, as before.": (
        "C’est fait : vous êtes de nouveau abonné(e), comme avant.", "تمّ: أنت مشترك من جديد كما كنت."),
    "We sent you a confirmation email for this a moment ago: check your inbox and your spam folder. You can ask for a new one in %(wait)s.": (
        "Nous vous avons envoyé un e-mail de confirmation pour cela il y a un instant : consultez votre boîte de réception et vos indésirables. Vous pourrez en demander un nouveau dans %(wait)s.",
        "أرسلنا إليك رسالة تأكيد لهذا قبل قليل: تحقّق من بريدك الوارد ومجلد الرسائل غير المرغوب فيها. يمكنك طلب رسالة جديدة بعد %(wait)s."),
    # Admin: lists, subscribers, segments, queued emails
    "Fill this in for at least one language.": (
        "Remplissez ce champ dans au moins une langue.", "املأ هذا الحقل بلغة واحدة على الأقل."),
    "Use an address on a public internet domain (this one cannot receive our emails).": (
        "Utilisez une adresse sur un domaine internet public (celle-ci ne peut pas recevoir nos e-mails).",
        "استخدم عنوانًا على نطاق عام على الإنترنت (هذا العنوان لا يمكنه تلقّي رسائلنا)."),
    "List": ("Liste", "القائمة"),
    "File": ("Fichier", "الملف"),
    "UTF-8 CSV with an 'email' column; optional name, language, country, topics (a;b) and any custom attribute columns.": (
        "CSV UTF-8 avec une colonne « email » ; colonnes facultatives : name, language, country, topics (a;b) et tout attribut personnalisé.",
        "ملف CSV بترميز UTF-8 فيه عمود «email»؛ وأعمدة اختيارية: name وlanguage وcountry وtopics (a;b) وأي سمات مخصّصة."),
    "Consent source": ("Origine du consentement", "مصدر الموافقة"),
    "Where and how these people agreed to receive the newsletter.": (
        "Où et comment ces personnes ont accepté de recevoir la lettre d’information.",
        "أين وكيف وافق هؤلاء الأشخاص على تلقّي النشرة."),
    "Skip invalid rows": ("Ignorer les lignes non valides", "تخطّي الأسطر غير الصالحة"),
    "Import the valid rows even if some rows are invalid.": (
        "Importer les lignes valides même si certaines lignes ne le sont pas.",
        "استيراد الأسطر الصالحة حتى لو كانت بعض الأسطر غير صالحة."),
    "active subscribers": ("abonnés actifs", "المشتركون النشطون"),
    "Embeddable subscribe form": ("Formulaire d’abonnement à intégrer", "نموذج اشتراك قابل للتضمين"),
    "Save the list first.": ("Enregistrez d’abord la liste.", "احفظ القائمة أولًا."),
    "Paste this into the organisation's website. Its origin must be listed in SUBSCRIBE_CORS_ORIGINS.": (
        "Collez ce code dans le site web de l’organisation. Son origine doit figurer dans SUBSCRIBE_CORS_ORIGINS.",
        "الصق هذا في موقع المنظمة. يجب أن يكون أصله مدرجًا في SUBSCRIBE_CORS_ORIGINS."),
    "Export the audience (active, not suppressed) as CSV": (
        "Exporter l’audience (abonnés actifs, non exclus) en CSV",
        "تصدير الجمهور (النشطون غير المستبعدين) بصيغة CSV"),
    "Choose exactly one list to export.": ("Choisissez exactement une liste à exporter.", "اختر قائمة واحدة فقط للتصدير."),
    "Audience of the list %(list)s exported as CSV.": (
        "Audience de la liste %(list)s exportée en CSV.", "صُدّر جمهور القائمة %(list)s بصيغة CSV."),
    "You may not import subscribers.": ("Vous n’êtes pas autorisé·e à importer des abonnés.", "لا يحق لك استيراد المشتركين."),
    "Import subscribers from CSV": ("Importer des abonnés depuis un CSV", "استيراد المشتركين من ملف CSV"),
    "Export personal data as JSON (access request)": (
        "Exporter les données personnelles en JSON (demande d’accès)",
        "تصدير البيانات الشخصية بصيغة JSON (طلب اطّلاع)"),
    "Personal data exported (access request).": (
        "Données personnelles exportées (demande d’accès).", "صُدّرت البيانات الشخصية (طلب اطّلاع)."),
    "Erase (delete personal data, keep only a hashed suppression)": (
        "Effacer (supprimer les données personnelles, ne garder qu’une exclusion sous forme d’empreinte)",
        "محو (حذف البيانات الشخصية والاحتفاظ فقط باستبعاد في صورة بصمة)"),
    "Subscriber erased; only a hashed suppression is kept.": (
        "Abonné effacé ; seule une exclusion sous forme d’empreinte est conservée.",
        "مُحي المشترك؛ ولم يُحتفظ إلا باستبعاد في صورة بصمة."),
    "Subscriber erased (from her page); only a hashed suppression is kept.": (
        "Abonné effacé (depuis sa fiche) ; seule une exclusion sous forme d’empreinte est conservée.",
        "مُحي المشترك (من صفحته)؛ ولم يُحتفظ إلا باستبعاد في صورة بصمة."),
    "Unsubscribe (at the person's request)": (
        "Désabonner (à la demande de la personne)", "إلغاء الاشتراك (بطلب من الشخص نفسه)"),
    "audience now": ("audience actuelle", "الجمهور الآن"),
    "invalid: %(error)s": ("non valide : %(error)s", "غير صالح: %(error)s"),
    "Live count": ("Décompte en direct", "العدّ المباشر"),
    "Choose a list to see the count.": ("Choisissez une liste pour voir le décompte.", "اختر قائمة لترى العدد."),
    "%(count)s subscriber(s) would receive it now.": (
        "%(count)s abonné(s) la recevrai(en)t maintenant.", "عدد المشتركين الذين ستصلهم الآن: %(count)s."),
    "The count is not available right now.": ("Le décompte n’est pas disponible pour l’instant.", "العدد غير متاح حاليًا."),
    "%(count)s subscriber(s)": ("%(count)s abonné(s)", "عدد المشتركين: %(count)s"),
    "Choose a list and type filters.": ("Choisissez une liste et saisissez des filtres.", "اختر قائمة واكتب المرشحات."),
    "You may not view segments.": ("Vous n’êtes pas autorisé·e à voir les segments.", "لا يحق لك عرض الشرائح."),
    "Filters must be valid JSON and a list chosen.": (
        "Les filtres doivent être du JSON valide et une liste doit être choisie.",
        "يجب أن تكون المرشحات JSON صالحًا وأن تُختار قائمة."),
    "No such list.": ("Cette liste n’existe pas.", "هذه القائمة غير موجودة."),
    "Export the segment's audience as CSV": ("Exporter l’audience du segment en CSV", "تصدير جمهور الشريحة بصيغة CSV"),
    "Choose exactly one segment to export.": ("Choisissez exactement un segment à exporter.", "اختر شريحة واحدة فقط للتصدير."),
    "Audience of the segment %(segment)s exported as CSV.": (
        "Audience du segment %(segment)s exportée en CSV.", "صُدّر جمهور الشريحة %(segment)s بصيغة CSV."),
    "Only a keyed hash of the address is stored.": (
        "Seule une empreinte à clé de l’adresse est conservée.", "لا تُحفظ سوى بصمة مفتاحية للعنوان."),
    "address hash": ("empreinte de l’adresse", "بصمة العنوان"),
    "Try the selected failed emails again now": (
        "Réessayer maintenant les e-mails en échec sélectionnés", "أعد الآن محاولة إرسال الرسائل الفاشلة المحددة"),
    "Try the selected failed requests again now": (
        "Réessayer maintenant les demandes en échec sélectionnées", "أعد الآن محاولة الطلبات الفاشلة المحددة"),
    # Import reports
    "import outcome|added": ("ajouté", "أُضيف"),
    "import outcome|updated": ("mis à jour", "حُدّث"),
    "import outcome|skipped": ("ignoré", "تُخطّي"),
    "import outcome|invalid": ("non valide", "غير صالح"),
    "imported": ("importé", "استُورد"),
    "NOT imported: nothing was written": ("NON importé : rien n’a été enregistré", "لم يُستورد: لم يُحفظ شيء"),
    "%(list)s: %(verdict)s. added %(added)d, updated %(updated)d, skipped %(skipped)d%(reasons)s, invalid %(invalid)d": (
        "%(list)s : %(verdict)s. ajoutés %(added)d, mis à jour %(updated)d, ignorés %(skipped)d%(reasons)s, non valides %(invalid)d",
        "%(list)s: %(verdict)s. أُضيف %(added)d، حُدّث %(updated)d، تُخطّي %(skipped)d%(reasons)s، غير صالح %(invalid)d"),
    "line %(line)d: %(email)s: %(outcome)s": ("ligne %(line)d : %(email)s : %(outcome)s", "السطر %(line)d: %(email)s: %(outcome)s"),
    "none yet": ("aucune pour l’instant", "لا شيء بعد"),
    "There is no list with the slug %(slug)r (lists: %(known)s).": (
        "Il n’y a pas de liste avec l’identifiant %(slug)r (listes : %(known)s).",
        "لا توجد قائمة بالمعرّف %(slug)r (القوائم: %(known)s)."),
    "Imported from a CSV file": ("Importé depuis un fichier CSV", "مستورد من ملف CSV"),
    "The file is not UTF-8 text (byte %(byte)d cannot be read). Save it as 'CSV UTF-8' and try again.": (
        "Le fichier n’est pas un texte UTF-8 (l’octet %(byte)d est illisible). Enregistrez-le au format « CSV UTF-8 » et réessayez.",
        "الملف ليس نصًا بترميز UTF-8 (تعذّرت قراءة البايت %(byte)d). احفظه بصيغة «CSV UTF-8» ثم أعد المحاولة."),
    "The file contains NUL bytes: it does not look like a CSV text file.": (
        "Le fichier contient des octets NUL : il ne ressemble pas à un fichier texte CSV.",
        "يحتوي الملف على بايتات NUL: لا يبدو ملفًا نصيًا بصيغة CSV."),
    "The file is empty: it needs a header line with at least an 'email' column.": (
        "Le fichier est vide : il lui faut une ligne d’en-tête avec au moins une colonne « email ».",
        "الملف فارغ: يحتاج إلى سطر عناوين فيه عمود «email» على الأقل."),
    "The header line is not valid CSV (%(error)s).": (
        "La ligne d’en-tête n’est pas du CSV valide (%(error)s).", "سطر العناوين ليس CSV صالحًا (%(error)s)."),
    "The file has no 'email' column. Columns found: %(columns)s.": (
        "Le fichier n’a pas de colonne « email ». Colonnes trouvées : %(columns)s.",
        "لا يحتوي الملف على عمود «email». الأعمدة الموجودة: %(columns)s."),
    "none": ("aucune", "لا شيء"),
    "The header repeats the column(s) %(columns)s; each column needs its own name.": (
        "L’en-tête répète la ou les colonnes %(columns)s ; chaque colonne doit avoir son propre nom.",
        "يكرّر سطر العناوين العمود أو الأعمدة %(columns)s؛ يجب أن يكون لكل عمود اسمه الخاص."),
    "The header has an empty column name; each column needs its own name.": (
        "L’en-tête contient un nom de colonne vide ; chaque colonne doit avoir son propre nom.",
        "في سطر العناوين عمود بلا اسم؛ يجب أن يكون لكل عمود اسمه الخاص."),
    "The file has more than %(max)d rows; split it into smaller files.": (
        "Le fichier a plus de %(max)d lignes ; découpez-le en fichiers plus petits.",
        "يحتوي الملف على أكثر من %(max)d سطر؛ قسّمه إلى ملفات أصغر."),
    "duplicate of line %(line)d": ("doublon de la ligne %(line)d", "تكرار للسطر %(line)d"),
    "Line %(line)d is not valid CSV (%(error)s).": (
        "La ligne %(line)d n’est pas du CSV valide (%(error)s).", "السطر %(line)d ليس CSV صالحًا (%(error)s)."),
    "%(fields)d fields but the header has %(columns)d columns": (
        "%(fields)d champs alors que l’en-tête a %(columns)d colonnes", "%(fields)d حقول بينما في سطر العناوين %(columns)d أعمدة"),
    "the email is empty": ("l’adresse e-mail est vide", "البريد الإلكتروني فارغ"),
    "the email is longer than 254 characters": (
        "l’adresse e-mail dépasse 254 caractères", "البريد الإلكتروني أطول من 254 حرفًا"),
    "%(email)r is not a valid email address": (
        "%(email)r n’est pas une adresse e-mail valide", "%(email)r ليس عنوان بريد إلكتروني صالحًا"),
    "the name is longer than 200 characters or has line breaks": (
        "le nom dépasse 200 caractères ou contient des retours à la ligne",
        "الاسم أطول من 200 حرف أو يحتوي على فواصل أسطر"),
    "language %(language)r is not one of %(known)s": (
        "la langue %(language)r ne fait pas partie de %(known)s", "اللغة %(language)r ليست من بين %(known)s"),
    "country %(country)r is not a two-letter ISO code": (
        "le pays %(country)r n’est pas un code ISO à deux lettres", "البلد %(country)r ليس رمز ISO من حرفين"),
    "unknown topic %(name)r": ("thème inconnu %(name)r", "موضوع غير معروف %(name)r"),
    "the value of %(column)r is longer than %(max)d characters": (
        "la valeur de %(column)r dépasse %(max)d caractères", "قيمة %(column)r أطول من %(max)d حرفًا"),
    "erased on request": ("effacé à sa demande", "مُحي بناءً على طلبه"),
    "suppressed (%(reason)s)": ("exclu (%(reason)s)", "مستبعَد (%(reason)s)"),
    "unsubscribed from this list": ("désabonné de cette liste", "ألغى اشتراكه في هذه القائمة"),
    "waiting for her own confirmation": (
        "en attente de sa propre confirmation", "بانتظار تأكيده بنفسه"),
    "unsubscribed from every list": ("désabonné de toutes les listes", "ألغى اشتراكه في جميع القوائم"),
    "This website may not use the subscribe API.": (
        "Ce site web n’est pas autorisé à utiliser l’API d’abonnement.", "لا يحق لهذا الموقع استخدام واجهة الاشتراك البرمجية."),
    # Models
    "Use a colour like #1a73e8.": ("Utilisez une couleur comme #1a73e8.", "استخدم لونًا مثل #1a73e8."),
    "name": ("nom", "الاسم"),
    "slug": ("identifiant", "المعرّف"),
    "description": ("description", "الوصف"),
    "sender name": ("nom de l’expéditeur", "اسم المُرسِل"),
    "sender address": ("adresse de l’expéditeur", "عنوان المُرسِل"),
    "reply to": ("adresse de réponse", "عنوان الرد"),
    "default language": ("langue par défaut", "اللغة الافتراضية"),
    "time zone": ("fuseau horaire", "المنطقة الزمنية"),
    "Used for recurring digests.": ("Utilisé pour les lettres récurrentes.", "يُستخدم للنشرات الدورية."),
    "organisation": ("organisation", "المنظمة"),
    "logo URL": ("adresse du logo", "عنوان الشعار"),
    "Blank: the organisation's logo.": ("Vide : le logo de l’organisation.", "إن تُرك فارغًا: شعار المنظمة."),
    "accent colour": ("couleur d’accent", "لون التمييز"),
    "Blank: the organisation's default accent colour.": (
        "Vide : la couleur d’accent par défaut de l’organisation.", "إن تُرك فارغًا: لون التمييز الافتراضي للمنظمة."),
    "public": ("publique", "عامة"),
    "Shown on the subscribe form and in the archive.": (
        "Affichée dans le formulaire d’abonnement et dans les archives.", "تظهر في نموذج الاشتراك وفي الأرشيف."),
    "tracking enabled": ("suivi activé", "التتبّع مفعَّل"),
    "Count opens and clicks for this list.": (
        "Compter les ouvertures et les clics pour cette liste.", "احتساب مرات الفتح والنقرات لهذه القائمة."),
    "send a welcome email": ("envoyer un e-mail de bienvenue", "إرسال رسالة ترحيب"),
    "welcome subject": ("objet du message de bienvenue", "موضوع رسالة الترحيب"),
    "welcome body": ("texte du message de bienvenue", "نص رسالة الترحيب"),
    "Plain text sent after a supporter confirms.": (
        "Texte brut envoyé après la confirmation d’un abonné.", "نص عادي يُرسل بعد أن يؤكد المشترك اشتراكه."),
    "created at": ("créé le", "تاريخ الإنشاء"),
    "mailing list": ("liste de diffusion", "القائمة البريدية"),
    "mailing lists": ("listes de diffusion", "القوائم البريدية"),
    "topic": ("thème", "الموضوع"),
    "topics": ("thèmes", "المواضيع"),
    "email": ("adresse e-mail", "البريد الإلكتروني"),
    "email hash": ("empreinte de l’adresse e-mail", "بصمة البريد الإلكتروني"),
    "language": ("langue", "اللغة"),
    "country": ("pays", "البلد"),
    "ISO 3166 code, e.g. LB": ("Code ISO 3166, par ex. LB", "رمز ISO 3166، مثل LB"),
    "attributes": ("attributs", "السمات"),
    "subscriber": ("abonné", "مشترك"),
    "subscribers": ("abonnés", "المشتركون"),
    "Pending confirmation": ("En attente de confirmation", "بانتظار التأكيد"),
    "Active": ("Actif", "نشط"),
    "Unsubscribed": ("Désabonné", "أُلغي الاشتراك"),
    "status": ("état", "الحالة"),
    "confirmed at": ("confirmé le", "تاريخ التأكيد"),
    "unsubscribed at": ("désabonné le", "تاريخ إلغاء الاشتراك"),
    "unsubscribe source": ("origine du désabonnement", "مصدر إلغاء الاشتراك"),
    "unsubscribed via digest id": (
        "désabonné via la lettre d’identifiant", "ألغى الاشتراك عبر النشرة ذات المعرّف"),
    "subscription": ("abonnement", "اشتراك"),
    "subscriptions": ("abonnements", "الاشتراكات"),
    "Subscribe form": ("Formulaire d’abonnement", "نموذج الاشتراك"),
    "API": ("API", "الواجهة البرمجية"),
    "Import": ("Import", "الاستيراد"),
    "Admin": ("Administration", "الإدارة"),
    "text": ("texte", "النص"),
    "version": ("version", "الإصدار"),
    "source": ("source", "المصدر"),
    "IP address": ("adresse IP", "عنوان IP"),
    "user agent": ("navigateur (user agent)", "وكيل المستخدم"),
    "consent record": ("preuve de consentement", "سجل موافقة"),
    "consent records": ("preuves de consentement", "سجلات الموافقة"),
    "Confirmation request": ("Demande de confirmation", "طلب تأكيد"),
    "Welcome": ("Bienvenue", "ترحيب"),
    "kind": ("type", "النوع"),
    "list ids": ("identifiants des listes", "معرّفات القوائم"),
    "topic ids": ("identifiants des thèmes", "معرّفات المواضيع"),
    "send after": ("envoyer après", "الإرسال بعد"),
    "attempts": ("tentatives", "المحاولات"),
    "last error": ("dernière erreur", "آخر خطأ"),
    "claim": ("prise en charge", "الاستلام"),
    "queued email": ("e-mail en file d’attente", "رسالة في قائمة الانتظار"),
    "queued emails": ("e-mails en file d’attente", "الرسائل في قائمة الانتظار"),
    "list slugs": ("identifiants des listes", "معرّفات القوائم"),
    "topic slugs": ("identifiants des thèmes", "معرّفات المواضيع"),
    "consent source": ("origine du consentement", "مصدر الموافقة"),
    "consent text": ("texte du consentement", "نص الموافقة"),
    "consent version": ("version du consentement", "إصدار الموافقة"),
    "subscribe request": ("demande d’abonnement", "طلب اشتراك"),
    "subscribe requests": ("demandes d’abonnement", "طلبات الاشتراك"),
    "Hard bounce": ("Rejet définitif", "ارتداد دائم"),
    "Repeated soft bounces": ("Rejets temporaires répétés", "ارتدادات مؤقتة متكررة"),
    "Spam complaint": ("Plainte pour spam", "شكوى بريد مزعج"),
    "Erased on request": ("Effacé à sa demande", "مُحي بناءً على طلبه"),
    "Rejected by provider": ("Refusé par le prestataire", "رفضه المزوّد"),
    "Added by an administrator": ("Ajouté par un administrateur", "أضافه مسؤول"),
    "reason": ("raison", "السبب"),
    "detail": ("détail", "التفاصيل"),
    "expires at": ("expire le", "تاريخ الانتهاء"),
    "suppression": ("exclusion", "استبعاد"),
    "suppressions": ("exclusions", "الاستبعادات"),
    "filters": ("filtres", "المرشحات"),
    "created by": ("créé par", "أنشأه"),
    "segment": ("segment", "الشريحة"),
    "segments": ("segments", "الشرائح"),
    "event id": ("identifiant de l’événement", "معرّف الحدث"),
    "event type": ("type d’événement", "نوع الحدث"),
    "provider": ("prestataire", "المزوّد"),
    "message id": ("identifiant du message", "معرّف الرسالة"),
    "recipient hash": ("empreinte du destinataire", "بصمة المستلم"),
    "digest id": ("identifiant de la lettre", "معرّف النشرة"),
    "delivery id": ("identifiant de l’envoi", "معرّف التسليم"),
    "reject reason": ("motif du refus", "سبب الرفض"),
    "bounce class": ("type de rejet", "نوع الارتداد"),
    "URL": ("adresse", "العنوان"),
    "occurred at": ("survenu le", "وقع في"),
    "received at": ("reçu le", "استُلم في"),
    "email event": ("événement d’e-mail", "حدث بريد"),
    "email events": ("événements d’e-mail", "أحداث البريد"),
    "outcomes": ("résultats", "النتائج"),
    "delivered": ("livrés", "سُلّمت"),
    "hard": ("rejets définitifs", "ارتدادات دائمة"),
    "soft": ("rejets temporaires", "ارتدادات مؤقتة"),
    "block": ("blocages", "حالات الحظر"),
    "rejected": ("refusés", "مرفوضة"),
    "complaint": ("plaintes", "الشكاوى"),
    "breaker tripped at": ("disjoncteur déclenché le", "وقت تفعيل قاطع الحماية"),
    "breaker reason": ("motif du disjoncteur", "سبب قاطع الحماية"),
    "digest event count": ("décompte des événements d’une lettre", "عدّاد أحداث النشرة"),
    "digest event counts": ("décomptes des événements des lettres", "عدّادات أحداث النشرات"),
    # Segment filters
    "Country": ("Pays", "البلد"),
    "Two-letter codes separated by commas, e.g. LB, MA": (
        "Codes à deux lettres séparés par des virgules, par ex. LB, MA", "رموز من حرفين مفصولة بفواصل، مثل LB, MA"),
    "Has any of these topics": ("A au moins un de ces thèmes", "لديه أي من هذه المواضيع"),
    "Has all of these topics": ("A tous ces thèmes", "لديه كل هذه المواضيع"),
    "Also on one of these lists": ("Aussi inscrit à l’une de ces listes", "مشترك أيضًا في إحدى هذه القوائم"),
    "Subscribed on or after": ("Abonné le ou après le", "اشترك في أو بعد"),
    "Joined this list on or after this day": (
        "A rejoint cette liste ce jour-là ou après", "انضم إلى هذه القائمة في هذا اليوم أو بعده"),
    "Subscribed before": ("Abonné avant le", "اشترك قبل"),
    "Joined this list before this day": ("A rejoint cette liste avant ce jour", "انضم إلى هذه القائمة قبل هذا اليوم"),
    "Attributes": ("Attributs", "السمات"),
    "Custom attribute equals: one name=value per line, e.g. member=yes": (
        "Attribut personnalisé égal à : un nom=valeur par ligne, par ex. member=yes",
        "سمة مخصّصة تساوي: اسم=قيمة في كل سطر، مثل member=yes"),
    "Opened within (days)": ("A ouvert dans les (jours)", "فتح خلال (أيام)"),
    "Opened a message in the last N days (lists with tracking only)": (
        "A ouvert un message dans les N derniers jours (listes avec suivi uniquement)",
        "فتح رسالة خلال آخر N يوم (القوائم التي تفعّل التتبّع فقط)"),
    "Clicked within (days)": ("A cliqué dans les (jours)", "نقر خلال (أيام)"),
    "Clicked a link in the last N days (lists with tracking only)": (
        "A cliqué sur un lien dans les N derniers jours (listes avec suivi uniquement)",
        "نقر على رابط خلال آخر N يوم (القوائم التي تفعّل التتبّع فقط)"),
    "Line %(number)d: write name=value, e.g. member=yes.": (
        "Ligne %(number)d : écrivez nom=valeur, par ex. member=yes.", "السطر %(number)d: اكتب اسم=قيمة، مثل member=yes."),
    'Filters must be a JSON object, e.g. {"language": ["fr"]}.': (
        'Les filtres doivent être un objet JSON, par ex. {"language": ["fr"]}.',
        'يجب أن تكون المرشحات كائن JSON، مثل {"language": ["fr"]}.'),
    "Unknown filter %(key)r; use one of: %(known)s.": (
        "Filtre inconnu %(key)r ; utilisez l’un de : %(known)s.", "مرشح غير معروف %(key)r؛ استخدم أحد: %(known)s."),
    "%(key)r must be a non-empty list of texts.": (
        "%(key)r doit être une liste de textes non vide.", "يجب أن يكون %(key)r قائمة نصوص غير فارغة."),
    "Unknown language %(bad)s; use %(known)s.": (
        "Langue inconnue %(bad)s ; utilisez %(known)s.", "لغة غير معروفة %(bad)s؛ استخدم %(known)s."),
    "Countries must be two-letter ISO codes; got %(bad)s.": (
        "Les pays doivent être des codes ISO à deux lettres ; reçu : %(bad)s.",
        "يجب أن تكون البلدان رموز ISO من حرفين؛ وصل: %(bad)s."),
    "Unknown topic %(bad)s in %(key)r.": ("Thème inconnu %(bad)s dans %(key)r.", "موضوع غير معروف %(bad)s في %(key)r."),
    "Unknown list %(bad)s in 'lists_any'.": (
        "Liste inconnue %(bad)s dans « lists_any ».", "قائمة غير معروفة %(bad)s في «lists_any»."),
    "%(key)r must be a date like 2025-01-31; got %(value)r.": (
        "%(key)r doit être une date comme 2025-01-31 ; reçu : %(value)r.",
        "يجب أن يكون %(key)r تاريخًا مثل 2025-01-31؛ وصل: %(value)r."),
    "%(key)r must be a whole number of days between 1 and 3650.": (
        "%(key)r doit être un nombre entier de jours entre 1 et 3650.",
        "يجب أن يكون %(key)r عددًا صحيحًا من الأيام بين 1 و3650."),
    "%(key)r needs tracking, which is turned off for the list %(list)r.": (
        "%(key)r nécessite le suivi, qui est désactivé pour la liste %(list)r.",
        "يتطلب %(key)r التتبّع، وهو متوقف للقائمة %(list)r."),
    '\'attributes\' must be an object of attribute name to value, e.g. {"member": "yes"}.': (
        '« attributes » doit être un objet associant un nom d’attribut à une valeur, par ex. {"member": "yes"}.',
        'يجب أن تكون «attributes» كائنًا يربط اسم السمة بقيمتها، مثل {"member": "yes"}.'),
    "'attributes' values must be texts or numbers.": (
        "Les valeurs de « attributes » doivent être des textes ou des nombres.",
        "يجب أن تكون قيم «attributes» نصوصًا أو أرقامًا."),
    # Admin templates
    "Home": ("Accueil", "الرئيسية"),
    "Line": ("Ligne", "السطر"),
    "Email": ("E-mail", "البريد الإلكتروني"),
    "Result": ("Résultat", "النتيجة"),
    "Why": ("Pourquoi", "السبب"),
    "Import subscribers (CSV)": ("Importer des abonnés (CSV)", "استيراد المشتركين (CSV)"),
    # Branded emails, next steps, leaving everything, error pages (issue 19)
    "You receive this email because you subscribed to %(list)s.": ("Vous recevez cet e-mail parce que vous êtes abonné·e à %(list)s.", "تصلك هذه الرسالة لأنك مشترك في %(list)s."),
    "Manage your preferences": ("Gérer vos préférences", "إدارة تفضيلاتك"),
    "Access denied": ("Accès refusé", "تم رفض الوصول"),
    "You may not open this page. If a form sent you here, go back, reload the page and try again.": (
        "Vous ne pouvez pas ouvrir cette page. Si un formulaire vous a mené·e ici, revenez en arrière, rechargez la page et réessayez.",
        "لا يمكنك فتح هذه الصفحة. إذا أوصلك إليها نموذج، فارجع إلى الصفحة السابقة وأعد تحميلها ثم حاول مرة أخرى."),
    "Read our past newsletters": ("Lire nos lettres d’information précédentes", "اقرأ نشراتنا السابقة"),
    "We could not find this page": ("Nous n’avons pas trouvé cette page", "لم نعثر على هذه الصفحة"),
    "There is no page at this address. It may have moved, or the link may be incomplete.": (
        "Il n’y a pas de page à cette adresse. Elle a peut-être été déplacée, ou le lien est incomplet.",
        "لا توجد صفحة على هذا العنوان. ربما نُقلت، أو قد يكون الرابط ناقصًا."),
    "Something went wrong": ("Une erreur s’est produite", "حدث خطأ ما"),
    "This is our fault, not yours: the error is recorded for our team. Please try again in a few minutes.": (
        "C’est de notre faute, pas de la vôtre : l’erreur est enregistrée pour notre équipe. Veuillez réessayer dans quelques minutes.",
        "هذا خطأ من جهتنا وليس من جهتك: سُجّل الخطأ لفريقنا. يُرجى المحاولة مرة أخرى بعد بضع دقائق."),
    "Go to the home page": ("Aller à la page d’accueil", "الذهاب إلى الصفحة الرئيسية"),
    "We will send you a welcome email. Every email has a link to change what you receive.": (
        "Nous allons vous envoyer un e-mail de bienvenue. Chaque e-mail contient un lien pour modifier ce que vous recevez.",
        "سنرسل إليك رسالة ترحيب. وتتضمن كل رسالة رابطًا لتغيير ما يصلك."),
    "Choose your language and topics on your preferences page": (
        "Choisir votre langue et vos thèmes sur votre page de préférences", "اختر لغتك ومواضيعك من صفحة تفضيلاتك"),
    "What happens next": ("La suite", "الخطوات التالية"),
    "Open the email we sent you and press the Confirm button: without it you receive nothing.": (
        "Ouvrez l’e-mail que nous vous avons envoyé et appuyez sur le bouton de confirmation : sans cela, vous ne recevrez rien.",
        "افتح الرسالة التي أرسلناها إليك واضغط على زر التأكيد: لن يصلك شيء من دونه."),
    "We then send you a welcome email, and our newsletters as they come out.": (
        "Nous vous envoyons ensuite un e-mail de bienvenue, puis nos lettres d’information dès leur parution.",
        "بعد ذلك نرسل إليك رسالة ترحيب، ثم نشراتنا فور صدورها."),
    "Every email we send has a link to change what you receive or to unsubscribe, at any time.": (
        "Chaque e-mail que nous envoyons contient un lien pour modifier ce que vous recevez ou vous désabonner, à tout moment.",
        "تتضمن كل رسالة نرسلها رابطًا لتغيير ما يصلك أو لإلغاء الاشتراك في أي وقت."),
    "Meanwhile, read our past newsletters": (
        "En attendant, lisez nos lettres d’information précédentes", "في الأثناء، اقرأ نشراتنا السابقة"),
    "Unsubscribe from everything?": ("Vous désabonner de tout ?", "إلغاء الاشتراك في كل شيء؟"),
    "You will stop receiving all of these newsletters:": (
        "Vous ne recevrez plus aucune de ces lettres d’information :", "سيتوقف وصول جميع هذه النشرات إليك:"),
    "You receive none of our newsletters at the moment.": (
        "Vous ne recevez aucune de nos lettres d’information en ce moment.", "لا تصلك أي من نشراتنا حاليًا."),
    "To receive a newsletter again later, you will have to ask for it and confirm by email.": (
        "Pour recevoir à nouveau une lettre d’information plus tard, il faudra la demander et confirmer par e-mail.",
        "لتلقي نشرة مرة أخرى لاحقًا، سيتعيّن عليك طلبها وتأكيد ذلك عبر البريد الإلكتروني."),
    "Yes, unsubscribe me from everything": ("Oui, me désabonner de tout", "نعم، ألغِ اشتراكي في كل شيء"),
    "No, take me back to my preferences": ("Non, revenir à mes préférences", "لا، أعدني إلى تفضيلاتي"),
    # Gaps (issue 19): the heading after an undone unsubscribe; subscribing again from an old unsubscribe link.
    "You are subscribed again": ("Vous êtes de nouveau abonné·e", "أنت مشترك من جديد"),
    "You receive no emails from “%(name)s”.": ("Vous ne recevez aucun e-mail de « %(name)s ».", "لا تصلك أي رسائل من «%(name)s»."),
    "You receive no emails from this newsletter.": ("Vous ne recevez aucun e-mail de cette lettre d’information.", "لا تصلك أي رسائل من هذه النشرة."),
    "Changed your mind? We will send you an email: your subscription starts again only when you confirm it.": ("Vous avez changé d’avis ? Nous vous enverrons un e-mail : votre abonnement ne reprend que lorsque vous le confirmez.", "هل غيّرت رأيك؟ سنرسل إليك رسالة: لا يُستأنف اشتراكك إلا عندما تؤكّده."),
    "Subscribe again": ("Se réabonner", "الاشتراك من جديد"),
    "You are not unsubscribed from this newsletter: there is nothing to do here.": ("Vous n’êtes pas désabonné·e de cette lettre d’information : il n’y a rien à faire ici.", "لم تُلغِ اشتراكك في هذه النشرة: لا شيء يلزم فعله هنا."),
    "We cannot send a confirmation email to this address. Write to us if you want our newsletters again.": ("Nous ne pouvons pas envoyer d’e-mail de confirmation à cette adresse. Écrivez-nous si vous souhaitez de nouveau recevoir nos lettres d’information.", "لا يمكننا إرسال رسالة تأكيد إلى هذا العنوان. راسلنا إن أردت تلقّي نشراتنا من جديد."),
    # Bounce classes as an editor reads them in a digest's results (subscribers.bounces.BOUNCE_LABELS)
    "Mailbox does not exist (address removed)": (
        "La boîte n’existe pas (adresse retirée)", "صندوق البريد غير موجود (أُزيل العنوان)"),
    "Temporary failure (full mailbox, server down)": (
        "Échec temporaire (boîte pleine, serveur indisponible)", "إخفاق مؤقت (صندوق ممتلئ أو خادم متوقف)"),
    "Blocked by the receiving server (about us, not the reader)": (
        "Bloqués par le serveur destinataire (cela nous concerne, pas la lectrice)",
        "حظرها الخادم المستقبِل (الأمر يخصّنا لا القارئ)"),
    "Refused by the provider (invalid or known bad address)": (
        "Refusés par le prestataire (adresse invalide ou connue comme mauvaise)",
        "رفضها المزوّد (عنوان غير صالح أو معروف بأنه سيئ)"),
    "Marked as spam": ("Signalés comme spam", "عُلّمت كبريد مزعج"),
    # Local-time sends (docs/decisions/0020-local-time-sends.md)
    "Used for recurring digests, and for readers without a time zone of their own when a digest goes at a local hour.": ("Sert aux lettres d’information récurrentes, et aux lecteurs sans fuseau horaire propre quand une lettre part à une heure locale.", "تُستخدم للنشرات الدورية، وللقرّاء الذين ليست لهم منطقة زمنية خاصة عندما تُرسل نشرة في ساعة محلية."),
    "Not set: the newsletter's own time zone": ('Non précisé : le fuseau horaire de la lettre d’information', 'غير محدد: المنطقة الزمنية للنشرة نفسها'),
    'Your time zone': ('Votre fuseau horaire', 'منطقتك الزمنية'),
    'Newsletters sent at a local hour reach you at that hour on this clock.': ('Les lettres d’information envoyées à une heure locale vous parviennent à cette heure-là dans ce fuseau.', 'النشرات التي تُرسل في ساعة محلية تصلك في تلك الساعة حسب هذا التوقيت.'),
}

# singular msgid: (French forms, Arabic forms: zero, one, two, few (3-10), many (11-99), other (100+))
P: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Erased %(count)d subscriber. The address can no longer be imported.": (
        ("%(count)d abonné effacé. Son adresse ne peut plus être importée.",
         "%(count)d abonnés effacés. Leurs adresses ne peuvent plus être importées."),
        ("لم يُمحَ أي مشترك (%(count)d).",
         "مُحي مشترك واحد (%(count)d). لم يعد من الممكن استيراد عنوانه.",
         "مُحي مشتركان (%(count)d). لم يعد من الممكن استيراد عنوانيهما.",
         "مُحي %(count)d مشتركين. لم يعد من الممكن استيراد عناوينهم.",
         "مُحي %(count)d مشتركًا. لم يعد من الممكن استيراد عناوينهم.",
         "مُحي %(count)d مشترك. لم يعد من الممكن استيراد عناوينهم.")),
    "Unsubscribed %(count)d subscription.": (
        ("%(count)d abonnement résilié.", "%(count)d abonnements résiliés."),
        ("لم يُلغَ أي اشتراك (%(count)d).",
         "أُلغي اشتراك واحد (%(count)d).",
         "أُلغي اشتراكان (%(count)d).",
         "أُلغيت %(count)d اشتراكات.",
         "أُلغي %(count)d اشتراكًا.",
         "أُلغي %(count)d اشتراك.")),
    "%(count)d email will be sent again now; emails that have not failed are left as they are.": (
        ("%(count)d e-mail va être renvoyé maintenant ; les e-mails qui n’ont pas échoué restent tels quels.",
         "%(count)d e-mails vont être renvoyés maintenant ; les e-mails qui n’ont pas échoué restent tels quels."),
        ("لن تُعاد أي رسالة (%(count)d)؛ تبقى الرسائل التي لم تفشل على حالها.",
         "ستُرسل رسالة واحدة (%(count)d) من جديد الآن؛ تبقى الرسائل التي لم تفشل على حالها.",
         "ستُرسل رسالتان (%(count)d) من جديد الآن؛ تبقى الرسائل التي لم تفشل على حالها.",
         "ستُرسل %(count)d رسائل من جديد الآن؛ تبقى الرسائل التي لم تفشل على حالها.",
         "ستُرسل %(count)d رسالة من جديد الآن؛ تبقى الرسائل التي لم تفشل على حالها.",
         "ستُرسل %(count)d رسالة من جديد الآن؛ تبقى الرسائل التي لم تفشل على حالها.")),
    "%(count)d request will be tried again now.": (
        ("%(count)d demande va être réessayée maintenant.", "%(count)d demandes vont être réessayées maintenant."),
        ("لن يُعاد أي طلب (%(count)d).",
         "ستُعاد محاولة طلب واحد (%(count)d) الآن.",
         "ستُعاد محاولة طلبين (%(count)d) الآن.",
         "ستُعاد محاولة %(count)d طلبات الآن.",
         "ستُعاد محاولة %(count)d طلبًا الآن.",
         "ستُعاد محاولة %(count)d طلب الآن.")),
    "%(count)d row is invalid, so nothing was imported. Fix it, or import with --skip-invalid.": (
        ("%(count)d ligne n’est pas valide, donc rien n’a été importé. Corrigez-la, ou importez avec --skip-invalid.",
         "%(count)d lignes ne sont pas valides, donc rien n’a été importé. Corrigez-les, ou importez avec --skip-invalid."),
        ("لا توجد أسطر غير صالحة (%(count)d).",
         "سطر واحد (%(count)d) غير صالح، لذا لم يُستورد شيء. صحّحه أو استورد مع --skip-invalid.",
         "سطران (%(count)d) غير صالحين، لذا لم يُستورد شيء. صحّحهما أو استورد مع --skip-invalid.",
         "%(count)d أسطر غير صالحة، لذا لم يُستورد شيء. صحّحها أو استورد مع --skip-invalid.",
         "%(count)d سطرًا غير صالح، لذا لم يُستورد شيء. صحّحها أو استورد مع --skip-invalid.",
         "%(count)d سطر غير صالح، لذا لم يُستورد شيء. صحّحها أو استورد مع --skip-invalid.")),
}

if __name__ == "__main__":
    fill_all(HERE, T, P)
