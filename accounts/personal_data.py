"""The one guard for personal data in text: identity numbers, health details, name-like codes.

A placement carries a pseudonymous participant code and nothing else about the person: no
name, no personal identity number (personnummer) or coordination number (samordningsnummer),
no health details. Every form, model field and service that takes text about a participant
calls the validators here, so the rules live in one place.

Identity numbers are recognised from their structure: a birth date (YYMMDD or YYYYMMDD, the
day plus 60 in a coordination number) and four more digits, the last a Luhn check digit.
The canonical shapes (850101-1234, 19850101-1234, 8501011234) are refused whenever the date
is valid, whatever the check digit: a mistyped number is still somebody's number. Other
groupings (85-01-01-1234, 850101-12-34, 850101A1234) are refused only when the check digit is
right too, and never when grouped like a Swedish phone number, so that dates, phone numbers,
postcodes, amounts and order numbers pass.
"""

from __future__ import annotations

import datetime
import itertools
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum import luhn
from stdnum.exceptions import ValidationError as InvalidNumber
from stdnum.se import personnummer

# --- Personal identity and coordination numbers -----------------------------------------------

_DIGIT_GROUP = re.compile(r"[0-9]+")
# What may stand between the digit groups of one number: up to three spaces, dashes, slashes,
# dots, plus signs, or a single letter ("850101A1234"). A comma or a word ends the number.
_SEPARATOR = r"[ \t\u00a0\u202f\-\u2010-\u2015\u2212+/._]"
_BETWEEN_GROUPS = re.compile(rf"{_SEPARATOR}{{1,3}}|{_SEPARATOR}{{0,2}}[^\W\d_]{_SEPARATOR}{{0,2}}")
# Separators of the canonical shapes: YYMMDD-NNNN, YYMMDD+NNNN (aged 100 or more), with a space.
_CANONICAL_SEPARATORS = ("-", "+", " ")
# Where the digits of the birth date may be split in another grouping: between year, month
# and day ("85-01-01"), and between century and year ("19 85 01 01").
_DATE_SPLITS = {6: {2, 4}, 8: {2, 4, 6}}
_OLDEST_BIRTH_YEAR = 1870
_COORDINATION_DAY_OFFSET = 60
_LONGEST_AREA_CODE = 4


def _birth_date(digits: str, *, hundred_or_older: bool = False) -> datetime.date | None:
    """The birth date at the start of 10 or 12 digits, or None when there is none.

    A coordination number counts as its date: stdnum knows only the personnummer, so the
    day is brought back into the month first.
    """
    date_length = len(digits) - 4
    day = int(digits[date_length - 2 : date_length])
    if day > _COORDINATION_DAY_OFFSET:
        day -= _COORDINATION_DAY_OFFSET
        digits = f"{digits[: date_length - 2]}{day:02d}{digits[date_length:]}"
    separator = "+" if hundred_or_older else "-"
    try:
        born = personnummer.get_birth_date(f"{digits[:date_length]}{separator}{digits[-4:]}")
    except InvalidNumber:
        return None
    if born.year < _OLDEST_BIRTH_YEAR or born > timezone.localdate():
        return None
    return born


def _is_canonical(groups: list[str], separators: list[str]) -> bool:
    """8501011234, 198501011234, 850101-1234, 19850101+1234, 850101 1234."""
    if len(groups) == 1:
        return True
    return (
        len(groups) == 2
        and len(groups[0]) in (6, 8)
        and len(groups[1]) == 4
        and separators[0] in _CANONICAL_SEPARATORS
    )


def _looks_like_personal_number(
    groups: list[str], separators: list[str], *, neighbours: list[str]
) -> bool:
    """Whether digit groups of 10 or 12 digits in all form a number.

    separators are what stands between the groups, neighbours what links them to more
    digits before or after ("2009-10-12-2019-08-22" is two dates, not a number).
    """
    digits = "".join(groups)
    if _is_canonical(groups, separators):
        born = _birth_date(digits, hundred_or_older=separators == ["+"])
        if born is None:
            return False
        # Ten digits from 0 with nothing between them is more often a mobile number
        # (0701234567) than a number of someone born in the 2000s: ask for the check digit.
        if len(digits) == 10 and len(groups) == 1 and digits.startswith("0"):
            return luhn.is_valid(digits)
        return True
    date_length = len(digits) - 4
    splits, position = set(), 0
    for group in groups[:-1]:
        position += len(group)
        splits.add(position)
    return (
        # One way of writing throughout (or "1985 01 01-1234"), and not a part of a longer
        # run written the same way: "2026-09-01 10-12" is a date and a time,
        # "2009-10-12-2019-08-22" two dates.
        (
            len(set(separators)) == 1
            or (
                len(groups[-1]) == 4
                and separators[-1] in ("-", "+")
                and len(set(separators[:-1])) == 1
            )
        )
        and not set(separators) & set(neighbours)
        # The groups split the date only between its parts: "070-123 45 67" is a phone number.
        and {split for split in splits if split < date_length} <= _DATE_SPLITS[date_length]
        # Nor does it start like a Swedish area code (08-..., 070-..., 0470-...).
        and not (groups[0].startswith("0") and len(groups[0]) <= _LONGEST_AREA_CODE)
        # The check digit decides here, so a mistyped century does not matter.
        and _birth_date(digits[-10:]) is not None
        and luhn.is_valid(digits[-10:])
    )


def personal_number_in(text: str) -> str | None:
    """The part of the text that looks like a personal identity or coordination number."""
    matches = list(_DIGIT_GROUP.finditer(text))
    groups = [match.group() for match in matches]
    # links[i] stands between groups i and i + 1, or is None when the text between them
    # (a comma, a word, a line break) ends a number.
    links = [
        between if _BETWEEN_GROUPS.fullmatch(between) else None
        for between in (text[a.end() : b.start()] for a, b in itertools.pairwise(matches))
    ]
    for first in range(len(groups)):
        length = 0
        for last in range(first, len(groups)):
            if last > first and links[last - 1] is None:
                break
            length += len(groups[last])
            if length > 12:
                break
            if length in (10, 12):
                neighbours = [
                    links[index]
                    for index in (first - 1, last)
                    if 0 <= index < len(links) and links[index] is not None
                ]
                if _looks_like_personal_number(
                    groups[first : last + 1], links[first:last], neighbours=neighbours
                ):
                    return text[matches[first].start() : matches[last].end()]
    return None


def reject_personal_numbers(value: str) -> None:
    """For any free text: refuse what looks like a personal identity or coordination number.

    The message never repeats the number, so a form can show it without showing the number.
    """
    if personal_number_in(value):
        raise ValidationError(
            _(
                "Texten innehåller något som ser ut som ett personnummer eller "
                "samordningsnummer. Ta bort det: skriv aldrig personnummer här."
            ),
            code="looks_like_personal_number",
        )


# --- Health details ---------------------------------------------------------------------------

# Diagnoses and health conditions, Swedish and English, as the start of a word so that Swedish
# inflections and compounds that start with them match ("depressionen", "sjukskrivning").
# Short or ambiguous stems are whole words only. "Beroende på/av" is mostly "depending
# on", so only dependence on a substance counts.
_HEALTH_WORDS = (
    r"diagnos\w*",
    r"\w*missbruk\w*",
    r"depression\w*",
    r"depressiv\w*",
    r"deprimerad\w*",
    r"depressed",
    r"\w*ångest\w*",
    r"anxiety",
    r"adhd",
    r"add",
    r"ocd",
    r"ptsd",
    r"autis\w*",
    r"asperger\w*",
    r"bipolär\w*",
    r"bipolar\w*",
    r"schizofren\w*",
    r"schizophren\w*",
    r"psykos\w*",
    r"psykotisk\w*",
    r"psychos\w*",
    r"psychotic",
    r"ohälsa\w*",
    r"utmattning\w*",
    r"utbränd\w*",
    r"utbrändhet\w*",
    r"burnout",
    r"burn-out",
    r"beroende(?!\s+(?:på|av)\b)\w*",
    r"beroende\s+av\s+(?:alkohol|droger|narkotika|spel|läkemedel|tabletter)\w*",
    r"addiction\w*",
    r"alkoholis\w*",
    r"alcoholi\w*",
    r"narkoman\w*",
    r"diabet\w*",
    r"epilep\w*",
    r"cancer\w*",
    r"tumör\w*",
    r"stroke",
    r"hjärnskad\w*",
    r"dyslexi\w*",
    r"dyslexia",
    r"ätstörning\w*",
    r"anorexi\w*",
    r"bulimi\w*",
    r"demens\w*",
    r"självmord\w*",
    r"suicid\w*",
    r"hiv",
    r"sjukskriv\w*",
    r"sick\s+leave",
    r"sjukdom\w*",
)
_HEALTH_DETAIL = re.compile(r"\b(?:" + "|".join(_HEALTH_WORDS) + r")\b", re.IGNORECASE)


def reject_health_details(value: str) -> None:
    """Refuse a text that names a diagnosis or a health condition."""
    if _HEALTH_DETAIL.search(value):
        raise ValidationError(
            _(
                "Texten innehåller uppgifter om hälsa, till exempel en diagnos, en sjukdom "
                "eller en sjukskrivning. Ta bort uppgifterna om hälsa: skriv bara det som "
                "behövs för platsen."
            ),
            code="looks_like_health_detail",
        )


def validate_sensitive_free_text(value: str) -> None:
    """For notes that staff and case officers write about a participant."""
    reject_personal_numbers(value)
    reject_health_details(value)


# --- Participant codes ------------------------------------------------------------------------

_CODE = re.compile(r"[A-ZÅÄÖ0-9][A-ZÅÄÖ0-9-]{2,19}")
# What placements.privacy writes over an erased code. It has no digit, but an erased
# placement must still be correctable in the admin, so it passes.
ERASED_PARTICIPANT_CODE = "RADERAD"

# Common first names in Sweden (Statistics Sweden's lists), in capitals. Only names of four
# letters or more count: three-letter ones (MIA, ALF, EVA) are as often abbreviations.
_COMMON_FIRST_NAMES = """
    AGNES AGNETA AHMAD AHMED AISHA ALBIN ALEXANDER ALEXANDRA ALFRED ALICE ALIYA ALMA ALVA
    ALVIN AMANDA AMELIA AMINA AMIR ANDERS ANDREAS ANETTE ANGELICA ANGELIKA ANITA ANNA ANNELI
    ANNIE ANNIKA ANNETTE ANTON ARASH ARNE ARVID ASTRID AXEL AYAAN BARBRO BENGT BERIT BERTIL
    BIRGITTA BJÖRN BRITT BRITTA BÖRJE CAMILLA CARL CAROLINA CAROLINE CASPER CATARINA
    CATHARINA CECILIA CHARLOTTA CHARLOTTE CHRISTER CHRISTIAN CHRISTINA CHRISTOFFER CLARA
    CONNY DAGNY DANIEL DAVID DENNIS DRAGAN EBBA EDITH EDVIN EDWIN ELIAS ELIN ELINA ELIS
    ELISABET ELISABETH ELIZABETH ELLA ELLEN ELLIE ELLIOT ELSA ELSIE ELVIRA EMELIE EMIL
    EMILIA EMILIE EMINE EMMA EMANUEL ERIC ERIK ERLAND ESTER EVELINA EVERT FARAH FATIMA
    FELICIA FILIP FRANK FREDRIK FREJA FRIDA GABRIEL GERD GORAN GRETA GUNILLA GUNNAR GUNNEL
    GUSTAF GUSTAV GÖRAN GÖSTA HAMPUS HANNA HANNAH HANS HARRY HASSAN HAWA HEDVIG HELEN HELENA
    HELENE HELGA HENRIK HIBA HODAN HUGO HUSSEIN IBRAHIM INGA INGEGERD INGEMAR INGER INGRID
    INGVAR IRINA ISAAC ISABEL ISABELLA ISABELLE ISAC ISAK IVAN JACOB JAKOB JASMIN JENNY
    JESPER JESSICA JIMMY JOACHIM JOAKIM JOEL JOHAN JOHANNA JOHANNES JOHNNY JONAS JOSEF
    JOSEFIN JOSEFINA JOSEFINE JOSEPH JULIA JÖRGEN KAJSA KARIN KARINA KARL KASPER KATARINA
    KATRIN KENNETH KENT KERSTIN KEVIN KHALID KJELL KLARA KRISTER KRISTIAN KRISTINA
    KRISTOFFER LARS LAYLA LEAH LEIF LEILA LENA LENNART LEON LINA LINDA LINN LINNEA LINUS
    LISA LIAM LOTTA LOUISE LOVISA LUCAS LUDVIG LUDWIG LUKAS MADELEINE MAGNUS MAHMOUD MAJA
    MALIN MARCUS MARGARETA MARGARETHA MARGIT MARIA MARIAM MARIANNE MARIE MARKUS MARTA
    MARTHA MARTIN MARTINA MARYAM MATHIAS MATHILDA MATILDA MATS MATTIAS MATTHIAS MAYA
    MEHMET MEJA MELKER MELVIN MICHAEL MICHAELA MIKAEL MIKAELA MIRIAM MOHAMAD MOHAMED
    MOHAMMAD MOHAMMED MOLLY MONICA MONIKA MUHAMMAD MURAT MUSTAFA NATALIE NATASHA NATHALIE
    NELLIE NELLY NICKLAS NICLAS NIKLAS NILS NINA NOAH NOEL NOUR OLGA OLIVER OLIVIA OLLE
    OLOF OLOV OMAR OSCAR OSKAR OTTO PATRICK PATRIK PAUL PERNILLA PETER PETRA PETTER PHILIP
    PONTUS RASMUS REBECCA REBECKA REZA RICHARD RICKARD ROBERT ROBIN ROGER ROLAND ROLF RONNY
    RUNE RUTH SAGA SAMIRA SAMUEL SANDRA SARA SARAH SEBASTIAN SELMA SIGNE SILVIA SIMON SIRI
    SIXTEN SOFIA SOFIE SONJA SOPHIE STEFAN STELLA STIG STINA STURE SUSANNE SVEN SYLVIA
    SÖREN TAGE TATIANA TERESE TERESIA THEO THEODOR THERESE THOMAS TILDA TINA TINDRA
    TOBIAS TOMAS TOMMY TORBJÖRN TORD TOVE TUVA ULLA VALENTINA VALTER VERA VICTOR VICTORIA
    VIDAR VIKTOR VIKTORIA VILHELM VINCENT WALTER WILHELM WILLIAM WILMA YASMIN YOUSEF
    YUSUF YVONNE ZAINAB ZEINAB ZORAN ÖRJAN
"""
_FIRST_NAMES = frozenset(_COMMON_FIRST_NAMES.split())
# Typical endings of Swedish surnames (Svensson, Lindberg, Sjöström, ...).
_SURNAME_ENDINGS = (
    "SON",
    "BERG",
    "STRÖM",
    "LUND",
    "QVIST",
    "KVIST",
    "GREN",
    "DAHL",
    "HOLM",
    "LIND",
    "BLOM",
    "ANDER",
)
# Municipalities that end like surnames, and may well name a programme.
_PLACE_NAMES = frozenset(
    {
        "FALKENBERG",
        "HALLSBERG",
        "LAHOLM",
        "LINDESBERG",
        "LJUSNARSBERG",
        "NORBERG",
        "STOCKHOLM",
        "SUNDBYBERG",
        "TIDAHOLM",
        "VAXHOLM",
    }
)
_MIN_NAME_LENGTH = 4
_LETTERS = re.compile(r"[^\W\d_]+")


def _looks_like_a_name(word: str) -> bool:
    if len(word) < _MIN_NAME_LENGTH or word in _PLACE_NAMES:
        return False
    if word in _FIRST_NAMES:
        return True
    # At least two letters before the ending: LUND, HOLM or BERG alone are places.
    return any(
        word.endswith(ending) and len(word) >= len(ending) + 2 for ending in _SURNAME_ENDINGS
    )


def _name_in_code(code: str) -> bool:
    """ANNA-1, KARIN85, LINDBERG-3, or two words such as FATIMA-HASSAN-2."""
    if any(_looks_like_a_name(word) for word in _LETTERS.findall(code)):
        return True
    words = [part for part in code.split("-") if part.isalpha()]
    return sum(len(word) >= _MIN_NAME_LENGTH for word in words) >= 2


def normalise_participant_code(value: str) -> str:
    """As a code is stored and compared: without surrounding spaces, in capitals."""
    return value.strip().upper()


def validate_participant_code(value: str) -> None:
    """A pseudonymous code such as AF-0042: 3-20 letters, digits and dashes, at least one
    digit, and nothing that looks like a personal identity number or a name."""
    code = normalise_participant_code(value)
    if code == ERASED_PARTICIPANT_CODE:
        return
    if personal_number_in(code):
        raise ValidationError(
            _(
                "Koden ser ut som ett personnummer. Använd aldrig personnummer: "
                "skriv en påhittad kod, t.ex. AF-0042."
            ),
            code="looks_like_personal_number",
        )
    if not _CODE.fullmatch(code):
        raise ValidationError(
            _(
                "Koden får bara innehålla bokstäver, siffror och bindestreck (3–20 tecken), "
                "inga mellanslag. Skriv aldrig deltagarens namn."
            ),
            code="invalid_participant_code",
        )
    if not any(character.isdigit() for character in code):
        raise ValidationError(
            _("Koden ska innehålla minst en siffra, t.ex. AF-0042. Skriv aldrig deltagarens namn."),
            code="code_without_digit",
        )
    if _name_in_code(code):
        raise ValidationError(
            _(
                "Koden ser ut att innehålla ett namn. Ta bort namnet: skriv aldrig deltagarens "
                "namn, utan en påhittad kod, t.ex. AF-0042."
            ),
            code="looks_like_name",
        )
