"""The digest every bench send uses: five stories in English, French and Arabic (translations share a key).

Runs inside a process where Django is set up on the bench database. The texts are in the style of the
users' news pages; written here so the bench never reads ../shared.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from newsletter.models import Digest, DigestItem, NewsItem
from organisations.models import Organisation
from subscribers.models import MailingList

_STORIES = [
    ("UN New York", "Commission on the Status of Women: care work on the agenda",
     "Commission de la condition de la femme : le travail de soin à l'ordre du jour",
     "لجنة وضع المرأة: أعمال الرعاية على جدول الأعمال"),
    ("Beirut", "Mothers' voices in the reconstruction plan", "La voix des mères dans le plan de reconstruction",
     "أصوات الأمهات في خطة إعادة الإعمار"),
    ("Rabat", "A new programme for working mothers in Morocco", "Un nouveau programme pour les mères actives au Maroc",
     "برنامج جديد للأمهات العاملات في المغرب"),
    ("Geneva", "Human Rights Council: statement on parental leave",
     "Conseil des droits de l'homme : déclaration sur le congé parental", "مجلس حقوق الإنسان: بيان حول إجازة الوالدين"),
    ("Paris", "Our annual report is out", "Notre rapport annuel est publié", "صدر تقريرنا السنوي"),
]
_SUMMARY = {
    "en": "Advocates met delegations and shared what mothers told us about unpaid care, time and income. ",
    "fr": "Nos représentantes ont rencontré des délégations et partagé ce que les mères nous ont dit du soin non rémunéré. ",
    "ar": "التقت المدافعات بالوفود وشاركن ما قالته الأمهات عن أعمال الرعاية غير المدفوعة والوقت والدخل. ",
}


def mailing_list_create(*, slug: str, name: str) -> MailingList:
    organisation, _ = Organisation.objects.get_or_create(
        feedback_sender_id="mmm",
        defaults={"name": "Make Mothers Matter",
                  "postal_address": "Make Mothers Matter, 5 rue de l'Université, 75007 Paris, France"},
    )
    return MailingList.objects.create(
        name=name, slug=slug, from_name="Make Mothers Matter", from_email="news@mmm.example.org", default_language="en",
        organisation=organisation,
    )


def news_items_create() -> list[NewsItem]:
    """One English item per story, with its French and Arabic translations; returns the English ones."""
    existing = list(NewsItem.objects.filter(source="bench", language="en").order_by("id"))
    if existing:
        return existing
    now = timezone.now()
    english = []
    for n, (dateline, en, fr, ar) in enumerate(_STORIES):
        for language, title in (("en", en), ("fr", fr), ("ar", ar)):
            item = NewsItem.objects.create(
                title=title, dateline=dateline, published_at=now - timedelta(days=n), summary=_SUMMARY[language] * 2,
                link=f"https://mmm.example.org/news/{n}?lang={language}", language=language,
                translation_key=f"bench-{n}", source="bench", source_id=f"{n}-{language}",
            )
            if language == "en":
                english.append(item)
    return english


def digest_create(*, mailing_list: MailingList, subject: str) -> Digest:
    """A draft digest of the five stories for `mailing_list`."""
    digest = Digest.objects.create(
        mailing_list=mailing_list, subject=subject, preheader="Care work at the UN, Beirut, Rabat and Geneva",
        intro="Here is what happened this month.",
    )
    for position, item in enumerate(news_items_create()):
        DigestItem.objects.create(digest=digest, news_item=item, position=position)
    return digest
