"""`{% personal "template" %}`: the parts of a public page that differ per person."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from accounts.pages import render_personal

register = template.Library()


@register.simple_tag(takes_context=True)
def personal(context, template_name: str) -> SafeString:
    """The template rendered for whoever the page is for, marked so that the page cache can
    render it again for each signed-in person who is served the cached page (accounts/pages.py).
    """
    return render_personal(template_name, context.get("request"))
