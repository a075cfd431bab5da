"""Rows are named in the admin (titles, breadcrumbs, choices) the way people would say them."""

from __future__ import annotations

from enterprises.models import LegalEntity
from tests import factories


def test_a_legal_entity_says_its_form_in_words_and_its_number(db):
    entity = factories.LegalEntityFactory(
        name="Värmekällan i Väsby ek. för.",
        legal_form=LegalEntity.LegalForm.ECONOMIC_ASSOCIATION,
        organisation_number="802479-2353",
    )
    unnumbered = factories.LegalEntityFactory(
        name="Livskraft", legal_form=LegalEntity.LegalForm.NON_PROFIT_ASSOCIATION
    )

    assert str(entity) == "Värmekällan i Väsby ek. för. (ekonomisk förening, 802479-2353)"
    assert str(unnumbered) == "Livskraft (ideell förening)"


def test_a_report_section_says_which_years_report_it_belongs_to(db):
    section = factories.ReportSectionFactory(
        heading="Bakgrund", report=factories.AnnualReportFactory(year=2022)
    )
    assert str(section) == "Bakgrund (2022)"


def test_long_texts_are_cut_with_an_ellipsis(db):
    text = "Under våren genomfördes ett webinarium arrangerat av kommunerna, Coompanion och ASF."
    point = factories.StrategyPointFactory(text=text)
    activity = factories.ActivityFactory(text=text)

    assert str(point).endswith("Coompanion och…")
    assert str(activity) == "2022: " + text[:79] + "…"
