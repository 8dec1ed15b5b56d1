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
    "Save": ("Enregistrer", "حفظ"),
    "Search": ("Rechercher", "بحث"),
    "All languages": ("Toutes les langues", "كل اللغات"),
    "imported": ("importée", "مستورد"),
    "Pages": ("Pages", "الصفحات"),
    "Newer": ("Plus récentes", "الأحدث"),
    "Older": ("Plus anciennes", "الأقدم"),
    "No news items match.": ("Aucune actualité ne correspond.", "لا أخبار مطابقة."),
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
}

if __name__ == "__main__":
    fill_all(HERE, T, P)
