"""The markup of the report's own texts (reports/markup.py): what it makes, what it refuses,
and that it shows the same in the page and the PDF."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.db import connection
from django.template.defaultfilters import linebreaks_filter
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from reports.markup import render_markup
from reports.pdf import render_article, render_pdf, render_report_html
from tests.factories import (
    ActivityFactory,
    AnnualReportFactory,
    EnterpriseFactory,
    ReportSectionFactory,
    StrategyAreaFactory,
    StrategyFactory,
    StrategyPointFactory,
)


def without_space_between_tags(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


# --- The markup -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "En rad.",
        "Första raden\nandra raden.\n\nEtt nytt stycke med Tanke & Handling <och> ”citat”.",
        "Sollentuna-Upplands Väsby -Sigtuna – ASF:s 5 år\n\n\n\nSista stycket.",
    ],
)
def test_plain_text_renders_as_the_linebreaks_filter_made_it(text):
    assert without_space_between_tags(render_markup(text)) == without_space_between_tags(
        linebreaks_filter(text)
    )


def test_emphasis_lists_and_links_become_html():
    html = render_markup(
        "Temat: *Framgångsrik arbetsträning* och **fet**.\n\n"
        "- ett\n- två\n\n"
        "Läs mer på [nätverkets sida](https://asf.example.org/om/)."
    )
    assert "<p>Temat: <em>Framgångsrik arbetsträning</em> och <strong>fet</strong>.</p>" in html
    assert '<ul class="report-list">\n<li>ett</li>\n<li>två</li>\n</ul>' in html
    assert (
        '<a href="https://asf.example.org/om/" rel="noopener noreferrer">nätverkets sida</a>'
        in html
    )


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ('<a href="https://x.example">x</a>', "&lt;a href="),
        ("[klicka](javascript:alert(1))", "[klicka](javascript:alert(1))"),
        ("# Rubrik", "# Rubrik"),
        ("> citat", "&gt; citat"),
        ("    indraget", "indraget"),
    ],
)
def test_raw_html_scripts_and_other_markdown_stay_text(text, shown):
    html = render_markup(text)
    assert shown in html
    assert not re.search(r"<(script|h1|blockquote|pre|code|img)\b", html)
    assert "javascript:" not in re.findall(r'href="([^"]*)"', html)


def test_an_image_is_never_shown():
    assert "<img" not in render_markup("![logga](https://x.example/logga.png)")


def test_a_mail_link_is_kept_and_other_schemes_are_not():
    assert 'href="mailto:info@example.org"' in render_markup("[Skriv](mailto:info@example.org)")
    assert "href" not in render_markup("[Ladda ner](ftp://x.example/fil)")


def test_in_the_pdf_list_items_start_with_their_bullet_or_number_as_text():
    html = render_markup("- ett\n- två\n\n3. tre\n4. fyra", pdf=True)
    assert "<li>•\u00a0\u00a0ett</li>" in html.replace("&nbsp;", "\u00a0")
    assert "<li>4.\u00a0\u00a0fyra</li>" in html.replace("&nbsp;", "\u00a0")


def test_an_item_text_starts_without_a_paragraph():
    assert render_markup("Ett *kort* besked.", item=True) == "Ett <em>kort</em> besked."


# --- In the report ----------------------------------------------------------------------------


@pytest.fixture
def report(db):
    report = AnnualReportFactory(
        year=2024,
        table_year=2023,
        strategy=StrategyFactory(),
        published=True,
        show_statistics=False,
    )
    area = StrategyAreaFactory(strategy=report.strategy, number=1, title="Samverkan")
    point = StrategyPointFactory(area=area, number=2, text="Mobilisera ASF:en.")
    ActivityFactory(year=2024, text="Webinarium: *Framgångsrik arbetsträning*", points=[point])
    ReportSectionFactory(
        report=report,
        heading="Bakgrund",
        body="Vi har:\n\n- en **hemsida**\n- en folder\n\nLäs [mer](https://asf.example.org/).",
    )
    return report


def test_the_page_shows_the_markup_of_sections_and_activities(report):
    html = render_report_html(report)
    assert "<em>Framgångsrik arbetsträning</em>" in html
    assert "<li>en <strong>hemsida</strong></li>" in html
    assert '<a href="https://asf.example.org/" rel="noopener noreferrer">mer</a>' in html


def texts(article: str) -> list[str]:
    """The report's own texts as rendered: its sections and its activities."""
    return re.findall(
        r'<section class="report-(?:section|activities)[^"]*".*?</section>', article, re.DOTALL
    )


def test_the_page_and_the_pdf_have_the_same_html_but_for_the_bullets(report):
    page = texts(render_article(report))
    pdf = texts(render_article(report, pdf=True))
    assert len(page) == 2
    assert [html.replace("•&nbsp;&nbsp;", "") for html in pdf] == page
    assert "<li>•&nbsp;&nbsp;en <strong>hemsida</strong></li>" in pdf[0]


def test_the_pdf_writes_the_sections_list_as_the_reports_other_lists(report):
    text = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(render_pdf(report).content)).pages
    )
    assert "• en hemsida" in " ".join(text.split())
    assert "• Webinarium: Framgångsrik arbetsträning" in " ".join(text.split())


def test_an_activity_shows_what_is_filled_in_after_its_text(report):
    activity = report.strategy.areas.get().points.get().activities.get()
    activity.period = "Under våren"
    activity.people_reached = 1240
    activity.save()
    activity.enterprises.set(
        [EnterpriseFactory(name="Livskraft"), EnterpriseFactory(name="Café Nyfiket")]
    )

    html = render_report_html(report)

    assert (
        "<em>Framgångsrik arbetsträning</em> "
        "(Under våren; Café Nyfiket, Livskraft; 1\u00a0240 personer nåddes)"
    ) in html


def test_an_activity_with_only_a_date_shows_the_date(report):
    activity = report.strategy.areas.get().points.get().activities.get()
    activity.date = datetime.date(2024, 5, 7)
    activity.people_reached = 1
    activity.save()

    assert "(7 maj 2024; 1 person nåddes)" in render_report_html(report)


# --- In the admin -----------------------------------------------------------------------------

MARKUP_HINT = "rader som börjar med ”- ” blir en punktlista"


def test_the_activity_form_says_how_to_write_the_markup_and_offers_a_new_list(
    coordinator_client,
):
    page = coordinator_client.get("/admin/reports/activity/add/")

    assert page.status_code == 200
    assert MARKUP_HINT in page.text
    assert 'name="starts_new_list"' in page.text


def test_the_report_sections_say_how_to_write_the_markup(coordinator_client, report):
    page = coordinator_client.get(f"/admin/reports/annualreport/{report.pk}/change/")

    assert page.status_code == 200
    assert MARKUP_HINT in page.text


def test_a_point_is_labelled_in_the_admin(coordinator_client, report):
    point = report.strategy.areas.get().points.get()

    page = coordinator_client.get(f"/admin/reports/strategypoint/{point.pk}/change/")
    area_page = coordinator_client.get(f"/admin/reports/strategyarea/{point.area.pk}/change/")

    assert 'name="label"' in page.text
    assert 'name="points-0-label"' in area_page.text


def test_more_activities_with_enterprises_cost_no_more_queries(
    report, django_assert_max_num_queries
):
    point = report.strategy.areas.get().points.get()
    point.activities.get().enterprises.set([EnterpriseFactory()])
    with CaptureQueriesContext(connection) as one_activity:
        render_article(report)
    for number in range(5):
        activity = ActivityFactory(year=2024, text=f"Aktivitet {number}", points=[point])
        activity.enterprises.set([EnterpriseFactory(), EnterpriseFactory()])

    with django_assert_max_num_queries(len(one_activity)):
        html = render_article(report)
    assert len(re.findall(r"\(Testföretaget \d+, Testföretaget \d+\)", html)) == 5
