"""Names from the data are drawn as written: a chart label is not TeX math."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from asfnet.seed import seed_network
from enterprises.models import Municipality
from reports.charts import Series, bar_chart
from reports.models import AnnualReport
from reports.pdf import render_pdf

NAME = "Kommun $\\foo{$"


def test_a_label_with_dollars_and_backslashes_is_drawn_as_text():
    svg = bar_chart(
        chart_id="t",
        title="Platser",
        categories=[NAME, "Sollentuna"],
        series=[Series("Platser", [3, 4])],
    )
    assert "Kommun $\\foo{$" in svg


@pytest.mark.django_db
def test_the_report_shows_a_municipality_named_like_tex(client):
    seed_network()
    Municipality.objects.filter(pk=Municipality.objects.order_by("pk").first().pk).update(name=NAME)

    page = client.get("/rapporter/2022/")

    assert page.status_code == 200
    assert "Kommun $\\foo{$" in page.text
    text = "".join(
        p.extract_text()
        for p in PdfReader(
            io.BytesIO(render_pdf(AnnualReport.objects.get(year=2022)).content)
        ).pages
    )
    assert "Kommun $\\foo{$" in text
