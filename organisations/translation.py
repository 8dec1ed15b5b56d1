"""Which of an organisation's texts are typed once per language (django-modeltranslation; read with subscribers.texts)."""

from modeltranslation.translator import TranslationOptions, register

from organisations.models import Organisation


@register(Organisation)
class OrganisationTexts(TranslationOptions):
    fields = ("consent_text",)
