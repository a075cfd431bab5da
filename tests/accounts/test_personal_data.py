"""accounts.personal_data: no personal identity numbers, health details or names in text."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from accounts.personal_data import (
    normalise_participant_code,
    personal_number_in,
    reject_health_details,
    reject_personal_numbers,
    validate_participant_code,
    validate_sensitive_free_text,
)

# (text, the part that is the number)
PERSONAL_NUMBERS = [
    ("121212-1212", "121212-1212"),
    ("12-12-12-1212", "12-12-12-1212"),
    ("121212A1212", "121212A1212"),
    ("1212-12-1212", "1212-12-1212"),
    ("PNR-121212-12-12", "121212-12-12"),
    ("pnr 1212 12 12 1212", "1212 12 12 1212"),
    ("Deltagaren 19850101-1234 vill ha lunch", "19850101-1234"),
    ("19121212+1212", "19121212+1212"),
    ("850101-1234", "850101-1234"),
    ("8501011234", "8501011234"),
    ("198501011234", "198501011234"),
    ("850101 1234", "850101 1234"),
    ("1985 01 01-1236", "1985 01 01-1236"),
    ("1985-01-01-1236", "1985-01-01-1236"),
    ("Personnummer: 121212 – 1212, tack", "121212 – 1212"),
    # A coordination number: the day of birth plus 60.
    ("701063-2391", "701063-2391"),
    ("Samordningsnr 19701063-2391.", "19701063-2391"),
    # In the usual shape, a mistyped check digit does not make it harmless.
    ("121212-1213", "121212-1213"),
]

HARMLESS = [
    "08-465 004 00",
    "070-123 45 67",
    "0701-23 45 67",
    "+46 70 123 45 67",
    "+46701234567",
    "Ring 08-465 004 00 / 070-123 45 67",
    "2026-09-01",
    "2026-09-01 kl 10-12",
    "2024-05-13 10-12",
    "2025-03-01 10.00-12.00",
    "2024-01-15 - 2024-03-15",
    "2009-10-12-2019-08-22",
    "Order 4711-2023",
    "Faktura 2023-0815",
    "Bankgiro 5050-1055",
    "556016-0680",  # an organisation number: month 60 is no month
    "191 47 Sollentuna",
    "Stationsgatan 3, 195 30 Märsta",
    "kl 08.00–16.30",
    "12 500 kr",
    "Lönebidrag 12 500 kr och 3 400 kr i månaden",
    "IBAN SE45 5000 0000 0583 9825 7466",
    "AF-0042",
    "",
]


@pytest.mark.parametrize(("text", "number"), PERSONAL_NUMBERS)
def test_a_personal_identity_number_is_found_however_it_is_written(text, number):
    assert personal_number_in(text) == number


@pytest.mark.parametrize(("text", "number"), PERSONAL_NUMBERS)
def test_free_text_with_a_personal_identity_number_is_refused_without_repeating_it(text, number):
    with pytest.raises(ValidationError) as error:
        reject_personal_numbers(text)

    assert error.value.code == "looks_like_personal_number"
    message = " ".join(error.value.messages)
    assert "ser ut som ett personnummer" in message
    assert "Ta bort det" in message
    assert not any(character.isdigit() for character in message)


@pytest.mark.parametrize("text", HARMLESS)
def test_phone_numbers_dates_amounts_and_other_numbers_pass(text):
    assert personal_number_in(text) is None
    reject_personal_numbers(text)
    validate_sensitive_free_text(text)


HEALTH_DETAILS = [
    "Har diagnosen adhd",
    "ADHD och ADD",
    "Deltagaren har add",
    "Autism",
    "Aspergers syndrom",
    "Är bipolär",
    "Schizofreni",
    "Har haft en psykos",
    "Utmattningssyndrom sedan i våras",
    "Hon är utbränd",
    "Missbruk",
    "Tidigare alkoholmissbruk",
    "Har ett beroende",
    "Beroende av alkohol",
    "Diabetes typ 1",
    "Epilepsi",
    "Cancer",
    "Är sjukskriven på halvtid",
    "Sjukskrivningen upphör i maj",
    "PTSD",
    "Depression",
    "Depressionen har släppt",
    "Ångest",
    "Social ångest",
    "Ångestproblematik",
    "Diagnosed with depression",
    "On sick leave",
]

NO_HEALTH_DETAILS = [
    "Vill laga mat och baka bröd.",
    "Vill träna på att passa tider.",
    "Beroende på vädret jobbar vi ute.",
    "Självständig och oberoende.",
    "Adderar priser i kassan.",
    "Kaklar diagonalt.",
    "Behöver lugn miljö och tydliga instruktioner.",
]


@pytest.mark.parametrize("text", HEALTH_DETAILS)
def test_a_text_that_names_a_diagnosis_or_condition_is_refused(text):
    with pytest.raises(ValidationError) as error:
        reject_health_details(text)

    assert error.value.code == "looks_like_health_detail"
    message = " ".join(error.value.messages)
    assert "hälsa" in message
    assert "Ta bort" in message


@pytest.mark.parametrize("text", NO_HEALTH_DETAILS)
def test_ordinary_words_are_not_health_details(text):
    reject_health_details(text)
    validate_sensitive_free_text(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Vill ha lunch. Pnr 850101-1234.", "looks_like_personal_number"),
        ("Vill ha lunch men är sjukskriven.", "looks_like_health_detail"),
    ],
)
def test_notes_about_a_participant_refuse_both(text, code):
    with pytest.raises(ValidationError) as error:
        validate_sensitive_free_text(text)
    assert error.value.code == code


# --- Participant codes ------------------------------------------------------------------------

# Realistic codes, and every code the seed, demo, generated and test data use.
PSEUDONYMOUS_CODES = [
    "AF-0042",
    "af-0042",
    " af-0099 ",
    "SEC-P3",
    "HOPPET-12",
    "hoppet-7",
    "MIA-7",
    "MIA2022X",
    "KOM-2026-01",
    "P000123",
    "AT-15",
    "DEMO-001",
    "SYN-000001",
    "TEST-0001",
    "REQ-0001",
    "ÅÄÖ-001",
    "ALF-101",
    "VÄR-001",
    "AF-0001B",
    "AF-1",
    "LUND-5",
    "STOCKHOLM-12",
    "RADERAD",  # what an erased code reads (placements.privacy)
]


@pytest.mark.parametrize("code", PSEUDONYMOUS_CODES)
def test_pseudonymous_codes_are_accepted(code):
    validate_participant_code(code)


@pytest.mark.parametrize(
    "code",
    [
        "PNR-121212-12-12",
        "pnr-121212-12-12",
        "19850101-1234",
        "850101-1234",
        "8501011234",
        "121212A1212",
        "701063-2391",
    ],
)
def test_a_code_that_is_a_personal_identity_number_is_refused(code):
    with pytest.raises(ValidationError) as error:
        validate_participant_code(code)
    assert error.value.code == "looks_like_personal_number"
    assert "Koden ser ut som ett personnummer" in error.value.messages[0]


@pytest.mark.parametrize(
    "code",
    [
        "ANNA-SVENSSON-1",
        "anna-1",
        "KARIN85",
        "LINDBERG-3",
        "SJÖSTRÖM-7",
        "ALEXANDER-12",
        "FATIMA-HASSAN-2",
        "AMIRA-KHALIL-2",
    ],
)
def test_a_code_that_looks_like_a_name_is_refused(code):
    with pytest.raises(ValidationError) as error:
        validate_participant_code(code)
    assert error.value.code == "looks_like_name"
    assert "namn" in error.value.messages[0]
    assert "Ta bort namnet" in error.value.messages[0]


@pytest.mark.parametrize(
    ("code", "error_code"),
    [
        ("", "invalid_participant_code"),
        ("AB", "invalid_participant_code"),
        ("A" * 21, "invalid_participant_code"),
        ("AF 0042", "invalid_participant_code"),
        ("-AF-0042", "invalid_participant_code"),
        ("<b>x</b>", "invalid_participant_code"),
        ("Anna Svensson", "invalid_participant_code"),
        ("HOPPET", "code_without_digit"),
        ("Anna", "code_without_digit"),
    ],
)
def test_a_code_in_the_wrong_form_is_refused_and_the_message_warns_about_names(code, error_code):
    with pytest.raises(ValidationError) as error:
        validate_participant_code(code)
    assert error.value.code == error_code
    assert "Skriv aldrig deltagarens namn" in error.value.messages[0]


def test_a_code_is_normalised_without_spaces_in_capitals():
    assert normalise_participant_code("  af-0042 \n") == "AF-0042"
    assert normalise_participant_code("åäö-1") == "ÅÄÖ-1"
