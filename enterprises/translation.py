"""What the network and its enterprises write, in Swedish and in English (django-modeltranslation).

Each field named here gets a column per language (`summary_sv`, `summary_en`); the field itself
(`enterprise.summary`) reads the active language's text and falls back to Swedish where no
English has been written. Templates mark such a fallback `lang="sv"` (enterprises.templatetags
.content_language), so a screen reader reads it with a Swedish voice on the English pages.
Names of enterprises, units and municipalities are names: they are not translated.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import Adaptation, Enterprise, NetworkProfile, ServiceCategory, Unit


@register(ServiceCategory)
class ServiceCategoryTranslation(TranslationOptions):
    fields = ("name", "description")
    # NULL, not "", for a name not yet translated: names are unique per language.
    empty_values = {"name": None}


@register(Adaptation)
class AdaptationTranslation(TranslationOptions):
    fields = ("name", "description")
    empty_values = {"name": None}


@register(Enterprise)
class EnterpriseTranslation(TranslationOptions):
    fields = Enterprise.TRANSLATED_FIELDS


@register(Unit)
class UnitTranslation(TranslationOptions):
    fields = ("description",)


@register(NetworkProfile)
class NetworkProfileTranslation(TranslationOptions):
    fields = ("tagline",)
