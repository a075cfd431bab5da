"""The report's texts in templates: `{{ section.body|report_markup:pdf }}` (reports/markup.py),
`{{ activity.text|report_markup_item:pdf }}` inside a list item, and an activity's details,
`{{ activity|activity_details }}`; the statistics' figures, `{{ count|report_number }}`.
"""

from __future__ import annotations

from django import template
from django.utils.formats import date_format, number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import ngettext

from reports.markup import render_markup
from reports.models import Activity

register = template.Library()


@register.filter
def report_markup(text: str, pdf: bool = False) -> SafeString:
    return render_markup(text, pdf=bool(pdf))


@register.filter
def report_markup_item(text: str, pdf: bool = False) -> SafeString:
    return render_markup(text, pdf=bool(pdf), item=True)


@register.filter
def report_number(value: int) -> str:
    """A figure as the current language writes it: "12 345" (a no-break space) in Swedish."""
    return number_format(value, force_grouping=True)


@register.filter
def activity_details(activity: Activity) -> str:
    """What is filled in besides the text: "(Under våren; Café Nyfiket, Livskraft; 40 personer
    nåddes)", or "" when nothing is. The enterprises are read with `.all()`, so prefetch them.
    """
    parts = []
    if activity.period:
        parts.append(activity.period)
    elif activity.date:
        parts.append(date_format(activity.date))
    enterprises = [enterprise.name for enterprise in activity.enterprises.all()]
    if enterprises:
        parts.append(", ".join(enterprises))
    if activity.people_reached is not None:
        count = activity.people_reached
        parts.append(
            ngettext("%(count)s person nåddes", "%(count)s personer nåddes", count)
            % {"count": number_format(count, force_grouping=True)}
        )
    if not parts:
        return ""
    return f"({'; '.join(parts)})"


@register.filter
def in_lang(html, lang: str):
    """`html` in a `<span lang="...">` when `lang` is given (the report's Swedish texts on a
    page in another language, ReportDocument.text_lang), else unchanged: the Swedish page and
    PDF are as without it."""
    if not lang:
        return html
    return format_html('<span lang="{}">{}</span>', lang, html)


@register.filter
def in_lang_block(html, lang: str):
    """As `in_lang`, for block content (paragraphs, lists): a `<div lang="...">`."""
    if not lang:
        return html
    return format_html('<div lang="{}">{}</div>', lang, html)
