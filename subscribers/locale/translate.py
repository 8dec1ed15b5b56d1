# ruff: noqa: E501 - a table of translations reads best one entry per line
"""Fill subscribers/locale/*/LC_MESSAGES/django.po from the table below, then run msgfmt.

Run by subscribers/locale/update.sh after makemessages; prints every msgid that has no translation yet.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "scripts"))
from po_fill import fill_all  # noqa: E402 - the script runs standalone, outside the package

# msgid: (French, Arabic)
T: dict[str, tuple[str, str]] = {
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
}

if __name__ == "__main__":
    fill_all(HERE, T)
