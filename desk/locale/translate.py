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
    # --- News items, image library and feeds (issue 19) ---
    "News": ("Actualités", "الأخبار"),
    "Images": ("Images", "الصور"),
    "Feeds": ("Flux", "الموجزات"),
    "Title": ("Titre", "العنوان"),
    "Dateline": ("Lieu", "مكان الخبر"),
    'Where it happened, e.g. "UN New York".': ("Où cela s’est passé, par ex. « ONU New York ».", "مكان الحدث، مثل «الأمم المتحدة نيويورك»."),
    "Lists": ("Listes de diffusion", "القوائم البريدية"),
    "The lists whose digests may include this item.": ("Les listes de diffusion dont les lettres d’information peuvent reprendre cette actualité.", "القوائم البريدية التي يمكن أن تتضمّن نشراتها هذا الخبر."),
    "Topics": ("Thèmes", "المواضيع"),
    "Summary": ("Résumé", "الملخّص"),
    "One or two sentences shown in the digest.": ("Une ou deux phrases, reprises dans la lettre d’information.", "جملة أو جملتان تظهران في النشرة."),
    "Body": ("Texte", "النص"),
    "Link": ("Lien", "الرابط"),
    "Where readers can read the whole story.": ("Où les lecteurs peuvent lire l’article entier.", "حيث يمكن للقرّاء قراءة الخبر كاملًا."),
    "Upload a new image": ("Téléverser une nouvelle image", "رفع صورة جديدة"),
    "Or pick one from the library": ("Ou en choisir une dans la médiathèque", "أو اختر صورة من المكتبة"),
    "No image from the library": ("Aucune image de la médiathèque", "بلا صورة من المكتبة"),
    "Image description (alt text)": ("Description de l’image (texte alternatif)", "وصف الصورة (النص البديل)"),
    "Required with an image: what it shows, for people who cannot see it.": ("Obligatoire avec une image : ce qu’elle montre, pour les personnes qui ne peuvent pas la voir.", "مطلوب مع الصورة: ما تُظهره، لمن لا يستطيع رؤيتها."),
    "Remove the current image": ("Retirer l’image actuelle", "إزالة الصورة الحالية"),
    "Translation of": ("Traduction de", "ترجمة لـ"),
    "If this item is the same story as another item in another language, choose it: a digest then gives each reader the version in her language.": ("Si cette actualité raconte la même chose qu’une autre dans une autre langue, choisissez-la : la lettre d’information donne alors à chaque lecteur la version dans sa langue.", "إذا كان هذا الخبر هو نفسه خبرًا آخر بلغة أخرى فاختره: تعطي النشرة حينها كل قارئ النسخة المكتوبة بلغته."),
    "Upload a new image or pick one from the library, not both.": ("Téléversez une nouvelle image ou choisissez-en une dans la médiathèque, pas les deux.", "ارفع صورة جديدة أو اختر واحدة من المكتبة، لا الاثنين معًا."),
    "Describe the image in a few words (alt text): people who cannot see it hear this.": ("Décrivez l’image en quelques mots (texte alternatif) : c’est ce qu’entendent les personnes qui ne peuvent pas la voir.", "صِف الصورة ببضع كلمات (النص البديل): هذا ما يسمعه من لا يستطيع رؤيتها."),
    "Image": ("Image", "الصورة"),
    "Description (alt text)": ("Description (texte alternatif)", "الوصف (النص البديل)"),
    "What the image shows, for people who cannot see it.": ("Ce que montre l’image, pour les personnes qui ne peuvent pas la voir.", "ما تُظهره الصورة، لمن لا يستطيع رؤيتها."),
    "Organisation": ("Organisation", "المنظمة"),
    "Feed address (RSS or Atom)": ("Adresse du flux (RSS ou Atom)", "عنوان الموجز (RSS أو Atom)"),
    "Name": ("Nom", "الاسم"),
    "List": ("Liste de diffusion", "القائمة البريدية"),
    "Its entries become news items of this list.": ("Ses entrées deviennent des actualités de cette liste de diffusion.", "تصبح مدخلاته أخبارًا لهذه القائمة البريدية."),
    "As the feed says (else the list's)": ("Celle qu’indique le flux (sinon celle de la liste)", "كما يذكر الموجز (وإلا فلغة القائمة)"),
    "The news item “%(title)s” is saved.": ("L’actualité « %(title)s » est enregistrée.", "حُفظ الخبر «%(title)s»."),
    "The feed is added; its first import is running.": ("Le flux est ajouté ; son premier import est en cours.", "أُضيف الموجز؛ استيراده الأول جارٍ."),
    "The image “%(alt)s” is in the library.": ("L’image « %(alt)s » est dans la médiathèque.", "أصبحت الصورة «%(alt)s» في المكتبة."),
    "waiting for the first import": ("en attente du premier import", "في انتظار الاستيراد الأول"),
    "Importing the feed… this page updates by itself when it has finished.": ("Import du flux en cours… cette page se met à jour d’elle-même quand il est terminé.", "جارٍ استيراد الموجز… تتحدّث هذه الصفحة تلقائيًا عند انتهائه."),
    "The last import did not work: %(error)s": ("Le dernier import n’a pas abouti : %(error)s", "لم ينجح الاستيراد الأخير: %(error)s"),
    "What came in": ("Ce qui est arrivé", "ما وصل"),
    "Entries that could not be imported": ("Entrées qui n’ont pas pu être importées", "مدخلات تعذّر استيرادها"),
    "All feeds": ("Tous les flux", "كل الموجزات"),
    "Add a feed": ("Ajouter un flux", "إضافة موجز"),
    "RSS or Atom feeds whose entries become news items, checked every half hour.": ("Flux RSS ou Atom dont les entrées deviennent des actualités, relevés toutes les demi-heures.", "موجزات RSS أو Atom تصبح مدخلاتها أخبارًا، وتُفحص كل نصف ساعة."),
    "No feeds yet.": ("Aucun flux pour l’instant.", "لا موجزات بعد."),
    "On saving, the feed is imported at once and this page shows what came in.": ("À l’enregistrement, le flux est importé aussitôt et cette page montre ce qui est arrivé.", "عند الحفظ يُستورد الموجز فورًا وتعرض هذه الصفحة ما وصل."),
    "Add and import": ("Ajouter et importer", "إضافة واستيراد"),
    "Pictures uploaded once and reused in news items. Each is made at most the width an email shows, and its camera data is removed.": ("Des images téléversées une fois et réutilisées dans les actualités. Chacune est ramenée au plus à la largeur qu’affiche un e-mail, et les données de l’appareil photo en sont retirées.", "صور تُرفع مرة واحدة وتُستعمل من جديد في الأخبار. تُصغَّر كل صورة إلى العرض الذي يعرضه البريد الإلكتروني على الأكثر، وتُحذف منها بيانات الكاميرا."),
    "Upload an image": ("Téléverser une image", "رفع صورة"),
    "Upload": ("Téléverser", "رفع"),
    "No images yet.": ("Aucune image pour l’instant.", "لا صور بعد."),
    "Change a news item": ("Modifier une actualité", "تعديل خبر"),
    "Write a news item": ("Écrire une actualité", "كتابة خبر"),
    "All news items": ("Toutes les actualités", "كل الأخبار"),
    "Where it goes": ("Où elle paraît", "أين يُنشر"),
    "Its translations:": ("Ses traductions :", "ترجماته:"),
    "Imported from %(source)s: the next import of this entry may change it again.": ("Importée depuis %(source)s : le prochain import de cette entrée peut la modifier à nouveau.", "مستورد من %(source)s: قد يغيّره الاستيراد التالي لهذا المدخل من جديد."),
    "Search": ("Rechercher", "بحث"),
    "All languages": ("Toutes les langues", "كل اللغات"),
    "imported": ("importée", "مستورد"),
    "Pages": ("Pages", "الصفحات"),
    "Newer": ("Plus récentes", "الأحدث"),
    "Older": ("Plus anciennes", "الأقدم"),
    "No news items match.": ("Aucune actualité ne correspond.", "لا أخبار مطابقة."),
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
    "Readers": ("Lecteurs", "القرّاء"),
    "Readers per language": ("Lecteurs par langue", "القرّاء حسب اللغة"),
    "No link has been clicked yet.": ("Aucun lien n’a encore été cliqué.", "لم يُنقر على أي رابط بعد."),
    "Per language": ("Par langue", "حسب اللغة"),
    "The provider's figures per language show once it has reported.": (
        "Les chiffres du fournisseur par langue s’affichent dès son premier rapport.",
        "تظهر أرقام المزوّد حسب اللغة حالما يرسل تقريره الأول."),
    "Follow the sends under way": ("Suivre les envois en cours", "متابعة عمليات الإرسال الجارية"),
    "Digest": ("Lettre d’information", "النشرة"),
    "Started": ("Commencé", "بدأ"),
    "Delivered": ("Distribués", "وصلت"),
    "Opened": ("Ouverts", "فُتحت"),
    "Clicked": ("Cliqués", "نُقر عليها"),
    "not tracked": ("non suivi", "غير متتبَّع"),
    "No digest has been sent yet.": (
        "Aucune lettre d’information n’a encore été envoyée.", "لم تُرسل أي نشرة بعد."),
    "Pause, resume or cancel a send on the dashboard": (
        "Mettre en pause, reprendre ou annuler un envoi depuis le tableau de bord",
        "إيقاف إرسال مؤقتًا أو استئنافه أو إلغاؤه من لوحة المتابعة"),
    "The figures show here once the first copies are sent.": (
        "Les chiffres s’affichent ici dès l’envoi des premiers exemplaires.", "تظهر الأرقام هنا فور إرسال النسخ الأولى."),
    # --- Local-time and tailored digests on the desk (issue 20, round 2) ---
    "Tailored by interests": ("Adaptée aux centres d’intérêt", "مخصّصة حسب الاهتمامات"),
    "Tailored by interests:": ("Adaptée aux centres d’intérêt :", "مخصّصة حسب الاهتمامات:"),
    "Tailored by interests: this preview shows every item; each reader gets only those of her topics (and the "
    "items without a topic). The confirmation page lists each variant and its readers.": (
        "Adaptée aux centres d’intérêt : cet aperçu montre toutes les actualités ; chaque lectrice ne reçoit que "
        "celles de ses thèmes (et les actualités sans thème). La page de confirmation indique chaque variante et "
        "ses lecteurs.",
        "مخصّصة حسب الاهتمامات: تعرض هذه المعاينة كل الأخبار، ولا يتلقى كل قارئ إلا أخبار مواضيعه (والأخبار التي "
        "بلا موضوع). وتذكر صفحة التأكيد كل نسخة وقرّاءها."),
    "The readers' time zones would spread this send over more than a day; send it at one moment for everybody "
    "instead.": (
        "Les fuseaux horaires des lecteurs étaleraient cet envoi sur plus d’une journée ; envoyez-le plutôt au "
        "même moment pour tout le monde.",
        "ستمتد عملية الإرسال هذه أكثر من يوم بسبب المناطق الزمنية للقرّاء؛ أرسلها بدلًا من ذلك في اللحظة نفسها "
        "للجميع."),
    "Scheduled: at %(time)s in each reader's time zone, from %(start)s (%(zone)s).": (
        "Programmée : à %(time)s dans le fuseau horaire de chaque lecteur, à partir du %(start)s (%(zone)s).",
        "جُدولت: في الساعة %(time)s بتوقيت كل قارئ، ابتداءً من %(start)s (%(zone)s)."),
    "At %(time)s in each reader's time zone: each zone starts when its clock shows it.": (
        "À %(time)s dans le fuseau horaire de chaque lecteur : chaque fuseau commence quand son horloge "
        "l’indique.",
        "في الساعة %(time)s بتوقيت كل قارئ: تبدأ كل منطقة زمنية حين تبلغ ساعتها هذا الوقت."),
    "Time zones": ("Fuseaux horaires", "المناطق الزمنية"),
    # --- Deleting an image of the library (polish, round 3) ---
    "The image “%(alt)s” was deleted.": ("L’image « %(alt)s » a été supprimée.", "حُذفت الصورة «%(alt)s»."),
    "Delete an image": ("Supprimer une image", "حذف صورة"),
    "This image cannot be deleted: news items still show it. Pick another picture for them (or remove theirs), then delete it.": (
        "Impossible de supprimer cette image : des actualités l’affichent encore. Choisissez-leur une autre image "
        "(ou retirez la leur), puis supprimez-la.",
        "لا يمكن حذف هذه الصورة: ما زالت أخبار تعرضها. اختر لها صورة أخرى (أو أزل صورتها)، ثم احذفها."),
    "Back to the images": ("Retour aux images", "العودة إلى الصور"),
    "Delete this image from the library? Its file is removed for good.": (
        "Supprimer cette image de la bibliothèque ? Son fichier sera effacé définitivement.",
        "هل تريد حذف هذه الصورة من المكتبة؟ سيُمحى ملفها نهائيًا."),
    "No news item shows it now, but an email already sent may show it: once deleted, it no longer appears there.": (
        "Aucune actualité ne l’affiche plus, mais un courriel déjà envoyé peut la montrer : une fois supprimée, "
        "elle n’y apparaîtra plus.",
        "لا يعرضها أي خبر الآن، لكن رسالة أُرسلت من قبل قد تعرضها: بعد حذفها لن تظهر فيها بعد ذلك."),
    "Yes, delete this image": ("Oui, supprimer cette image", "نعم، احذف هذه الصورة"),
    "Keep it": ("La garder", "الإبقاء عليها"),
    "Delete…": ("Supprimer…", "حذف…"),
}

# singular msgid: (French forms, Arabic forms)
P: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # --- News items, image library and feeds (issue 19) ---
    "%(count)s item imported": (
        ("%(count)s actualité importée", "%(count)s actualités importées"),
        ("لم يُستورد أي خبر (%(count)s)", "استُورد خبر واحد (%(count)s)", "استُورد خبران (%(count)s)",
         "استُوردت %(count)s أخبار", "استُورد %(count)s خبرًا", "استُورد %(count)s خبر")),
    "%(count)s problem": (
        ("%(count)s problème", "%(count)s problèmes"),
        ("لا مشكلات (%(count)s)", "مشكلة واحدة (%(count)s)", "مشكلتان (%(count)s)", "%(count)s مشكلات",
         "%(count)s مشكلة", "%(count)s مشكلة")),
    # --- Local-time and tailored digests on the desk (issue 20, round 2) ---
    "%(counter)s reader": (
        ("%(counter)s lecteur", "%(counter)s lecteurs"),
        ("لا قرّاء (%(counter)s)", "قارئ واحد (%(counter)s)", "قارئان (%(counter)s)", "%(counter)s قرّاء",
         "%(counter)s قارئًا", "%(counter)s قارئ")),
    # --- Deleting an image of the library (polish, round 3) ---
    "And %(counter)s news item of another organisation.": (
        ("Et %(counter)s actualité d’une autre organisation.", "Et %(counter)s actualités d’autres organisations."),
        ("ولا أخبار من منظمات أخرى (%(counter)s).", "وخبر واحد من منظمة أخرى (%(counter)s).",
         "وخبران من منظمات أخرى (%(counter)s).", "و%(counter)s أخبار من منظمات أخرى.",
         "و%(counter)s خبرًا من منظمات أخرى.", "و%(counter)s خبر من منظمات أخرى.")),
}

if __name__ == "__main__":
    fill_all(HERE, T, P)
