"""What the browser journeys share: window sizes, axe-core, screenshots."""

from __future__ import annotations

from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}

SCREENSHOTS = Path(settings.VAR_DIR) / "screenshots"

# The level the accessibility statement promises: WCAG 2.1 A and AA.
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

AXE_SCRIPT = Axe().axe_script  # the axe.min.js that axe-playwright-python ships


def axe_run(page, options: dict) -> list[dict]:
    """axe-core's violations on the page as it is now: only those come back from Chromium, not
    the rules that passed or did not apply (a quarter of the run's time went on sending them)."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    return page.evaluate("options => axe.run(options).then(results => results.violations)", options)


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now."""
    return axe_run(
        page,
        {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]},
    )


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{violation['helpUrl']}]"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {target}\n      {node['html'][:200]}\n      {summary}")
    return "\n".join(lines)


def screenshot(page, name: str, viewport_name: str) -> Path:
    """A full-page screenshot in var/screenshots/ for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}-{viewport_name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def horizontal_overflow(page) -> int:
    """How many pixels the page is wider than the window (0 when nothing scrolls sideways)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


SMALL_PHONE = {"width": 320, "height": 640}


def every_rule_violations(page) -> list[dict]:
    """Every rule axe-core runs by default: WCAG A/AA and its best practices (landmark-unique,
    region, heading-order, ...), not only the WCAG tags of `axe_violations`."""
    return axe_run(page, {"resultTypes": ["violations"]})


def assert_page_checked(page, name: str, viewport_name: str) -> None:
    """Saved as var/screenshots/<name>-<viewport_name>.png, no axe-core violation of any rule,
    and on a 320 px phone ("320") nothing scrolls sideways."""
    screenshot(page, name, viewport_name)
    violations = every_rule_violations(page)
    assert not violations, (
        f"axe-core found {len(violations)} violation(s) on {page.url}:\n"
        f"{describe_violations(violations)}"
    )
    if viewport_name == "320":
        overflow = horizontal_overflow(page)
        assert overflow <= 0, f"{page.url} scrolls sideways by {overflow} px at 320 px."
