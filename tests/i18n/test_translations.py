"""The English catalogue: every string translated, and the committed .mo compiled from it.

The compiled locale/en/LC_MESSAGES/django.mo is in the repository so that `make run` works
without GNU gettext; these tests catch a .po edited without `make messages` afterwards, and a
string marked for translation in the code that never reached the catalogue.
"""

from __future__ import annotations

import ast
import gettext
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

LOCALE_DIR = settings.BASE_DIR / "locale"
PO_FILE = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
MO_FILE = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.mo"

# What `make messages` runs, so that the copy of the code is read exactly as the team reads it.
MAKEMESSAGES = [
    "makemessages",
    "-l",
    "en",
    "--no-obsolete",
    "--add-location=file",
    "--ignore=.venv",
    "--ignore=var",
    "--ignore=tests",
]


@dataclass
class Entry:
    """One message of a .po file (obsolete `#~` entries are left out)."""

    line: int
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: list[str] = field(default_factory=list)
    fuzzy: bool = False

    @property
    def needs_work(self) -> bool:
        return self.fuzzy or not self.msgstr or not all(self.msgstr)

    def __str__(self) -> str:
        state = "fuzzy" if self.fuzzy else "untranslated"
        context = f" (context {self.msgctxt!r})" if self.msgctxt is not None else ""
        return f"line {self.line}: {self.msgid!r}{context} is {state}"


def read_po(path: Path) -> list[Entry]:
    """The messages of a .po file, without its header. Enough of the format for makemessages'
    output: comments, flags, msgctxt, msgid, msgid_plural, msgstr and msgstr[n], strings
    continued on the following lines."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int | None] | None = None  # the field that a continued string extends
    flags_fuzzy = False

    def finish() -> None:
        nonlocal entry, target, flags_fuzzy
        if entry is not None and entry.msgid:
            entries.append(entry)
        entry, target, flags_fuzzy = None, None, False

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            finish()
            continue
        if line.startswith("#,"):
            flags_fuzzy = "fuzzy" in {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            keyword, rest = "", line
        value = ast.literal_eval(rest) if rest else ""
        if keyword in {"msgctxt", "msgid"} and entry is not None and entry.msgstr:
            finish()
        if entry is None:
            entry = Entry(line=number, fuzzy=flags_fuzzy)
        if keyword == "msgctxt":
            entry.msgctxt, target = value, ("msgctxt", None)
        elif keyword == "msgid":
            entry.msgid, target = value, ("msgid", None)
        elif keyword == "msgid_plural":
            entry.msgid_plural, target = value, ("msgid_plural", None)
        elif keyword.startswith("msgstr"):
            entry.msgstr.append(value)
            target = ("msgstr", len(entry.msgstr) - 1)
        elif keyword == "" and target is not None:
            name, index = target
            if name == "msgstr":
                entry.msgstr[index] += value
            else:
                setattr(entry, name, (getattr(entry, name) or "") + value)
        else:
            raise ValueError(f"{path}:{number}: cannot read {raw!r}")
    finish()
    return entries


def msgfmt() -> str:
    path = shutil.which("msgfmt")
    if path is None:
        pytest.fail(
            "GNU gettext's msgfmt is not installed; install it with `apt-get install gettext`.",
            pytrace=False,
        )
    return path


def compile_po(po: Path, mo: Path) -> None:
    # The same call as Django's compilemessages.
    result = subprocess.run(
        [msgfmt(), "--check-format", "-o", str(mo), str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"msgfmt cannot compile {po}:\n{result.stderr}"


def catalogue(mo: Path) -> dict:
    with mo.open("rb") as file:
        # `_catalog` is the dictionary of messages GNUTranslations reads from a .mo file.
        return gettext.GNUTranslations(file)._catalog


def test_the_english_catalogue_exists():
    assert PO_FILE.is_file(), f"{PO_FILE} is missing: run `make messages`."
    assert len(read_po(PO_FILE)) > 100, "The English catalogue is suspiciously small."


def test_every_message_is_translated_and_none_is_fuzzy():
    unfinished = [entry for entry in read_po(PO_FILE) if entry.needs_work]
    if unfinished:
        pytest.fail(
            f"{len(unfinished)} message(s) in {PO_FILE.relative_to(settings.BASE_DIR)} need an "
            "English translation (and no fuzzy flag):\n" + "\n".join(map(str, unfinished)),
            pytrace=False,
        )


def test_the_committed_mo_is_compiled_from_the_po(tmp_path):
    assert MO_FILE.is_file(), f"{MO_FILE} is missing: run `make messages` and commit it."
    fresh = tmp_path / "django.mo"
    compile_po(PO_FILE, fresh)

    committed, expected = catalogue(MO_FILE), catalogue(fresh)

    stale = sorted(
        str(key)
        for key in expected.keys() | committed.keys()
        if committed.get(key) != expected.get(key)
    )
    assert not stale, (
        f"{MO_FILE.relative_to(settings.BASE_DIR)} is not compiled from the current .po "
        f"({len(stale)} message(s) differ): run `make messages`. First differences:\n"
        + "\n".join(stale[:20])
    )


def test_every_string_marked_in_the_code_is_in_the_catalogue(tmp_path):
    """makemessages on a copy of the code finds nothing new to translate."""
    msgfmt()  # makemessages needs gettext too
    project = tmp_path / "project"
    shutil.copytree(
        settings.BASE_DIR,
        project,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "var", "tests", "__pycache__", ".*_cache", "*.mo", "media"
        ),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", *MAKEMESSAGES],
        cwd=project,
        env={**os.environ, "VAR_DIR": str(tmp_path / "var")},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"makemessages failed:\n{result.stdout}\n{result.stderr}"

    extracted = read_po(project / PO_FILE.relative_to(settings.BASE_DIR))
    new = [entry for entry in extracted if entry.needs_work]
    if new:
        pytest.fail(
            f"{len(new)} string(s) marked in the code have no English translation: run `make "
            "messages`, translate them in locale/en/LC_MESSAGES/django.po, and run `make "
            "messages` again.\n" + "\n".join(repr(entry.msgid) for entry in new),
            pytrace=False,
        )
