from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Saved with these, the report's PDF may change: they end the reuse of its fingerprint (the
# pages' generation key of enterprises.cache, which the network's own models already bump).
MODELS_IN_THE_REPORT = [
    "reports.Strategy",
    "reports.StrategyArea",
    "reports.StrategyPoint",
    "reports.Activity",
    "reports.AnnualReport",
    "reports.ReportSection",
    "reports.Signatory",
    "enterprises.LegalEntity",
    "placements.PlacementRequest",
]
RELATIONS_IN_THE_REPORT = [
    "reports.Activity_points",
    "reports.Activity_enterprises",
    "reports.AnnualReport_parties",
    "reports.AnnualReport_complementary_enterprises",
    "reports.AnnualReport_complementary_organisations",
]


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Strategi och årsrapporter")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from enterprises.cache import invalidate_pages

        for sender in MODELS_IN_THE_REPORT:
            post_save.connect(invalidate_pages, sender=sender, dispatch_uid=f"report-{sender}-s")
            post_delete.connect(invalidate_pages, sender=sender, dispatch_uid=f"report-{sender}-d")
        for sender in RELATIONS_IN_THE_REPORT:
            m2m_changed.connect(invalidate_pages, sender=sender, dispatch_uid=f"report-{sender}")
