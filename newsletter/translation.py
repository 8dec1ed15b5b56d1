"""Which texts editors type once per language (django-modeltranslation registrations; read them with subscribers.texts)."""

from modeltranslation.translator import TranslationOptions, register

from newsletter.models import Digest, RecurringDigest


@register(Digest)
class DigestTexts(TranslationOptions):
    fields = ("subject", "subject_template", "preheader", "intro")


@register(RecurringDigest)
class RecurringDigestTexts(TranslationOptions):
    fields = ("subject", "preheader", "intro")
