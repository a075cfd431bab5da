from django.utils.translation import get_language

from .models import NetworkProfile


def network(request) -> dict:
    """The network's one phone number and address, for the header and footer of every page."""
    return {"network": NetworkProfile.for_request(request)}


def data_language(request) -> dict:
    """`data_lang`: "sv" on a page in another language, else "". What the network and its
    enterprises wrote (summaries, descriptions, categories) is Swedish: `lang="sv"` on it makes
    a screen reader read it with a Swedish voice on the English pages."""
    language = get_language() or "sv"
    return {"data_lang": "" if language.startswith("sv") else "sv"}
