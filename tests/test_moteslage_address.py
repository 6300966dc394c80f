"""Mötesläge's address, read and written without a browser or a Dash app: the module is a
plain part of the page (dashboard/pages/_moteslage_address.py)."""

from dashboard.pages._moteslage_address import (
    composer_href,
    deck_href,
    moved,
    parse_auto,
    parse_step,
    parse_views,
    pdf_href,
    print_href,
)


def test_the_address_round_trips():
    href = deck_href(["U21401", "strategi-2"], 2, 30)
    assert href == "/moteslage?vyer=U21401,strategi-2&steg=2&auto=30"
    assert parse_views("U21401, ,strategi-2") == ["U21401", "strategi-2"]
    assert parse_views(["U21401", "N20891"]) == ["U21401", "N20891"]
    assert parse_views("U21401,strategi-2,U21401") == ["U21401", "strategi-2"]


def test_hand_written_steps_and_pace_are_kept_in_range():
    assert parse_step("9", 3) == 3 and parse_step("0", 3) == 1 and parse_step("x", 3) == 1
    assert parse_auto("2") == 5 and parse_auto("99999") == 3600
    assert parse_auto("0") is None and parse_auto(None) is None and parse_auto("ja") is None


def test_a_view_moves_within_the_list_and_the_composer_and_pdf_have_addresses_too():
    views = ["strategi-2", "U21401", "kommun-0604"]
    assert moved(views, 2, -1) == ["strategi-2", "kommun-0604", "U21401"]
    assert moved(views, 0, -1) == views  # the first cannot go further up
    assert moved(views, 0, 1) == ["U21401", "strategi-2", "kommun-0604"]
    assert composer_href(views, 30) == "/moteslage?urval=strategi-2,U21401,kommun-0604&auto=30"
    assert composer_href([]) == "/moteslage"
    assert pdf_href(["grupp-aldre", "U21401"]) == "/moteslage.pdf?vyer=grupp-aldre,U21401"
    assert print_href(["U21401"]) == "/moteslage?vyer=U21401&utskrift=1"
