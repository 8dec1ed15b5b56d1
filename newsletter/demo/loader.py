"""Demo content for `make run`: the seed organisations' lists, topics, news items and a few hundred
subscribers in English, French and Arabic. Loaded once; running it again changes nothing."""

from __future__ import annotations

import json
import random
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import nh3
from django.db import transaction
from django.utils import timezone

from newsletter.models import NewsItem
from organisations.models import Organisation
from subscribers.emails import email_hash
from subscribers.models import ConsentRecord, MailingList, Subscriber, Subscription, Topic

SEED_FILE = Path(__file__).with_name("seed_content.json")
DEMO_SOURCE = "demo"
DEMO_SUBSCRIBERS = 300
_FIRST_NAMES = {
    "en": ["Alice", "Grace", "Mary", "Hannah", "Olivia", "Ruth", "Emma", "Sarah"],
    "fr": ["Camille", "Claire", "Élodie", "Inès", "Manon", "Sophie", "Amélie", "Louise"],
    "ar": ["فاطمة", "مريم", "ليلى", "نور", "سلمى", "زينب", "رنا", "هدى"],
}
# Who reads which list, in which languages and from where (weights for the demo audience).
_AUDIENCES = {
    "mmm-news": {"languages": ["en", "en", "fr", "ar"], "countries": ["FR", "GB", "BE", "US", "CH", "LB", "MA"]},
    "mmm-liban": {"languages": ["ar", "ar", "fr", "en"], "countries": ["LB"]},
    "oum-action": {"languages": ["fr", "ar", "ar", "en"], "countries": ["MA"]},
}
# The zone a supporter's browser would report, by country; every fifth is unknown (old sign-ups) and gets her
# list's zone in a local-time send.
_ZONES = {"FR": "Europe/Paris", "GB": "Europe/London", "BE": "Europe/Brussels", "US": "America/New_York",
          "CH": "Europe/Zurich", "LB": "Asia/Beirut", "MA": "Africa/Casablanca"}
DEMO_CONSENT_TEXT = "Demo subscriber created by `make run` (not a real person)."


def demo_is_loaded() -> bool:
    return MailingList.objects.filter(slug="mmm-news").exists()


@transaction.atomic
def demo_load() -> dict[str, int]:
    """Create the demo content unless it is already there. Returns what was created."""
    if demo_is_loaded():
        return {}
    data = json.loads(SEED_FILE.read_text(encoding="utf-8"))
    organisations = {entry["feedback_sender_id"]: Organisation.objects.create(**entry) for entry in data["organisations"]}
    # Per-language columns given as such (name_fr, ...): a plain `name=` would land in the active language's.
    topics = {t["slug"]: Topic.objects.create(**t) for t in data["topics"]}
    lists = {
        entry["slug"]: MailingList.objects.create(**{**entry, "organisation": organisations[entry["organisation"]]})
        for entry in data["lists"]
    }
    items = _create_news(data["news"], topics, lists)
    subscribers = _create_subscribers(topics, lists)
    return {"organisations": len(organisations), "topics": len(topics), "lists": len(lists), "news_items": items,
            "subscribers": subscribers}


def _create_news(news: list[dict], topics: dict[str, Topic], lists: dict[str, MailingList]) -> int:
    count = 0
    for entry in news:
        day = datetime.fromisoformat(entry["date"]).date()
        published = datetime.combine(day, time(9, 0), tzinfo=ZoneInfo("Europe/Paris"))
        for language in ("en", "fr", "ar"):
            text = entry.get(language)
            if not text:
                continue
            item = NewsItem.objects.create(
                title=text["title"],
                dateline=entry["dateline"],
                published_at=published,
                summary=text["summary"],
                body_html=nh3.clean(text.get("body", f"<p>{text['summary']}</p>")),
                link=f"https://makemothersmatter.example.org/{language}/news/{entry['key']}",
                language=language,
                translation_key=entry["key"],
                source=DEMO_SOURCE,
                source_id=f"{entry['key']}:{language}",
            )
            item.topics.set([topics[slug] for slug in entry["topics"]])
            item.mailing_lists.set([lists[slug] for slug in entry["lists"]])
            count += 1
    return count


def _create_subscribers(topics: dict[str, Topic], lists: dict[str, MailingList]) -> int:
    rng = random.Random(2026)  # the same demo audience on every machine
    topic_list = list(topics.values())
    now = timezone.now()
    created = 0
    for n in range(DEMO_SUBSCRIBERS):
        list_slug = list(_AUDIENCES)[n % len(_AUDIENCES)]
        audience = _AUDIENCES[list_slug]
        language = rng.choice(audience["languages"])
        email = f"supporter{n:04d}@example.org"
        subscriber = Subscriber.objects.create(
            email=email,
            email_hash=email_hash(email),
            name=rng.choice(_FIRST_NAMES[language]),
            language=language,
            country=(country := rng.choice(audience["countries"])),
            time_zone="" if n % 5 == 0 else _ZONES[country],
            created_at=now - timezone.timedelta(days=rng.randint(1, 700)),
        )
        subscriber.topics.set(rng.sample(topic_list, k=rng.randint(1, 3)))
        chosen = {list_slug} | ({"mmm-news"} if rng.random() < 0.3 else set())
        for slug in chosen:
            Subscription.objects.create(
                subscriber=subscriber, mailing_list=lists[slug], status=Subscription.Status.ACTIVE,
                created_at=subscriber.created_at, confirmed_at=subscriber.created_at,
            )
            ConsentRecord.objects.create(
                subscriber=subscriber, mailing_list=lists[slug], text=DEMO_CONSENT_TEXT, version="demo",
                source=ConsentRecord.Source.ADMIN, created_at=subscriber.created_at,
            )
        created += 1
    return created
