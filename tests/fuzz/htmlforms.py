"""The forms of a rendered page, read as a browser reads them, so a test can submit them.

Fuzzing a form starts from what the page offers (its fields, their current values, the
options of its selects and radios), replaces some of the values and posts the rest as they
were: partly valid input, the kind that finds half-saved objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from hypothesis import strategies as st

from .strategies import nasty_values

SKIPPED_INPUT_TYPES = {"submit", "button", "image", "reset", "file"}
NOT_FUZZED = {"csrfmiddlewaretoken"}


@dataclass
class HtmlForm:
    action: str
    method: str
    # What the browser would send, name -> values, in the order of the page.
    values: dict[str, list[str]] = field(default_factory=dict)
    # Every named control, also unchecked boxes and unselected options.
    names: list[str] = field(default_factory=list)

    def add_name(self, name: str) -> None:
        if name not in self.names:
            self.names.append(name)

    def send(self, name: str, value: str) -> None:
        self.values.setdefault(name, []).append(value)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[HtmlForm] = []
        self.form: HtmlForm | None = None
        self.select: tuple[str, bool] | None = None  # name, multiple
        self.select_options: list[tuple[str, bool]] = []
        self.option: dict | None = None
        self.textarea: str | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.form = HtmlForm(attrs.get("action") or "", (attrs.get("method") or "get").lower())
            self.forms.append(self.form)
            return
        if self.form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind == "submit" and name == "_save":
                # The admin's "Spara", which the person clicks: without it the admin runs the
                # action chosen beside the form instead of saving.
                self.form.add_name(name)
                self.form.send(name, attrs.get("value") or "")
                return
            if kind in SKIPPED_INPUT_TYPES:
                return
            self.form.add_name(name)
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.form.send(name, attrs.get("value") or "on")
            else:
                self.form.send(name, attrs.get("value") or "")
        elif tag == "select" and name:
            self.form.add_name(name)
            self.select = (name, "multiple" in attrs)
            self.select_options = []
        elif tag == "option" and self.select:
            self.option = {"value": attrs.get("value"), "selected": "selected" in attrs}
            self.text = []
        elif tag == "textarea" and name:
            self.form.add_name(name)
            self.textarea = name
            self.text = []

    def handle_data(self, data):
        if self.textarea is not None or self.option is not None:
            self.text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "option" and self.option is not None:
            value = self.option["value"]
            if value is None:
                value = "".join(self.text).strip()
            self.select_options.append((value, self.option["selected"]))
            self.option = None
        elif tag == "select" and self.select and self.form is not None:
            name, multiple = self.select
            chosen = [value for value, selected in self.select_options if selected]
            if not chosen and not multiple and self.select_options:
                chosen = [self.select_options[0][0]]  # what a browser sends
            for value in chosen:
                self.form.send(name, value)
            self.select = None
        elif tag == "textarea" and self.textarea is not None and self.form is not None:
            text = "".join(self.text)
            self.form.send(self.textarea, text[1:] if text.startswith("\n") else text)
            self.textarea = None


def forms_of(html: str) -> list[HtmlForm]:
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


def main_form(html: str) -> HtmlForm:
    """The page's own POST form: the largest, not the header's log-out or language form."""
    candidates = [
        form
        for form in forms_of(html)
        if form.method == "post" and not any(w in form.action for w in ("logout", "i18n"))
    ]
    assert candidates, "The page has no form to post."
    return max(candidates, key=lambda form: len(form.names))


# Fields a form does not have, sent anyway: what a tampered request adds.
EXTRA_NAMES = [
    "action",
    "status",
    "placement",
    "decided_by",
    "place",
    "enterprise",
    "id",
    "pk",
    "next",
]


@st.composite
def fuzzed_submissions(
    draw, form: HtmlForm, valid: dict[str, str] | None = None
) -> dict[str, list[str]]:
    """The form's own values (or `valid` ones that pass) with one or more fields replaced by
    nasty values or left out, and sometimes fields the form does not have."""
    names = [name for name in form.names if name not in NOT_FUZZED]
    data = {name: list(values) for name, values in form.values.items()}
    data.update({name: [value] for name, value in (valid or {}).items()})
    extras = draw(st.lists(st.sampled_from(EXTRA_NAMES), min_size=0 if names else 1, max_size=2))
    names += extras
    for name in draw(st.sets(st.sampled_from(names), min_size=1, max_size=min(len(names), 6))):
        data[name] = draw(
            st.one_of(
                st.lists(nasty_values, min_size=1, max_size=2),
                st.just([]),  # the field left out of the request
            )
        )
    return {name: values for name, values in data.items() if values}
