"""The admin side of per-language texts: one input per language, labelled with it, written in its direction."""

from __future__ import annotations

from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from modeltranslation.admin import TranslationAdmin

from subscribers.texts import languages


class PerLanguageTextsAdmin(TranslationAdmin):
    """modeltranslation's admin (fields grouped per text, `name [fr]` labels) with `dir="rtl"` on right-to-left
    languages' inputs and `dir="auto"` on the others, and no language required: a text needs a value in at
    least one language, since readers of the others fall back to it (subscribers.texts)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        language = getattr(db_field, "language", None)
        if field is not None and language:
            field.required = False
            widget = getattr(field.widget, "widget", field.widget)
            widget.attrs["dir"] = "rtl" if get_language_info(language)["bidi"] else "auto"
            widget.attrs["lang"] = language
        return field

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        required = [name for name in self.trans_opts.fields if not self.model._meta.get_field(name).blank]

        class OneLanguageAtLeast(form):
            def clean(self):
                data = super().clean()
                for name in required:
                    columns = [f"{name}_{language}" for language in languages() if f"{name}_{language}" in self.fields]
                    if columns and not any((data.get(column) or "").strip() for column in columns):
                        self.add_error(columns[0], _("Fill this in for at least one language."))
                return data

        return OneLanguageAtLeast
