"""Which texts editors type once per language (django-modeltranslation registrations; read them with subscribers.texts)."""

from modeltranslation.translator import TranslationOptions, register

from subscribers.models import MailingList, Topic


@register(MailingList)
class MailingListTexts(TranslationOptions):
    fields = ("name", "description", "welcome_subject", "welcome_body")


@register(Topic)
class TopicTexts(TranslationOptions):
    fields = ("name",)
