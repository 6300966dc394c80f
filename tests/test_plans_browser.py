"""Handlingsplaner in a real headless Chromium against `python app.py`, on SQLite and on
PostgreSQL: the plan beside the indicators on the Strategigrupp page, an activity added,
changed and removed through the form, the plan replaced from Excel after a verdict on every
row, the downloads, and the Indikator page naming the activities that aim at it. Screenshots
at 1920×1080 and 1366×768 go to tests/artifacts/."""

import io
import re
from pathlib import Path

import pytest
from browser_helpers import off_machine, record_requests, serious_axe_violations, wait_for_dash
from conftest import served
from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from indicators.imports.plans import plan_workbook
from indicators.reads.plans import handlingsplan
from indicators.vocabulary.domain import ActivityStatus

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).parent / "artifacts"
GROUP = "aldre"
SIZES = {"projektor": (1920, 1080), "laptop": (1366, 768)}


def _shoot(page: Page, name: str, section: str) -> None:
    """What the screen shows with the section scrolled to the top, at both sizes."""
    ARTIFACTS.mkdir(exist_ok=True)
    for label, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.locator(section).evaluate("e => e.scrollIntoView()")
        page.screenshot(path=ARTIFACTS / f"{name}-{label}.png")
    page.set_viewport_size({"width": 1366, "height": 768})


def test_a_plan_is_kept_beside_the_indicators_on_both_databases(
    page: Page, demo_copy, tmp_path, backend
):
    store = demo_copy
    requests = record_requests(page)
    with served(store.url, tmp_path) as url:
        page.set_viewport_size({"width": 1366, "height": 768})
        page.goto(f"{url}/strategigrupp/{GROUP}")
        wait_for_dash(page)
        plan = page.get_by_role("region", name=re.compile("^Handlingsplan för"))
        expect(page.get_by_role("heading", name="Handlingsplan för Äldre")).to_be_visible()
        demo = handlingsplan(store, GROUP)
        table = page.locator("#handlingsplan-tabell")
        expect(table.locator("tbody tr")).to_have_count(len(demo))
        expect(page.locator("#handlingsplan-sammanfattning")).to_contain_text("Exempeldata")
        first = demo[0]
        row = table.locator(f"tr[data-activity='{first.id}']")
        expect(row).to_contain_text(first.title)
        aim = first.aims[0]
        expect(row.locator(f"li[data-indicator='{aim.indicator_id}']")).to_contain_text(
            aim.change.label
        )
        assert serious_axe_violations(page) == []
        if backend == "sqlite":
            _shoot(page, "handlingsplan-strategigrupp", "section.plan")

        # Add an activity through the form.
        page.get_by_text("Lägg till en aktivitet").click()
        page.get_by_label("Aktivitet", exact=True).fill("Nattpatrull i hemtjänsten")
        page.get_by_label(re.compile("^Ansvarig")).fill("Värnamo kommun, hemtjänst")
        page.get_by_label("Start", exact=True).fill("2024-03-01")
        page.get_by_label("Status").select_option("pågår")
        page.get_by_label("Trygghet i hemtjänsten (65+)").check()
        page.get_by_role("button", name="Spara aktiviteten").click()
        expect(page.locator("#handlingsplan-meddelande")).to_have_text(
            "Aktiviteten »Nattpatrull i hemtjänsten« är sparad."
        )
        added = table.locator("tr", has_text="Nattpatrull i hemtjänsten")
        expect(added).to_contain_text("Värnamo kommun, hemtjänst")
        expect(added).to_contain_text("Trygghet i hemtjänsten (65+)")

        # A refusal names the field and saves nothing.
        page.get_by_text("Lägg till en aktivitet").click()
        page.get_by_label("Aktivitet", exact=True).fill("Utan ansvarig")
        page.get_by_label("Start", exact=True).fill("2024-03-01")
        page.get_by_role("button", name="Spara aktiviteten").click()
        expect(page.locator("#handlingsplan-meddelande")).to_contain_text(
            "Ansvarig: ange vilken organisation som ansvarar."
        )
        expect(table.locator("tr", has_text="Utan ansvarig")).to_have_count(0)
        page.get_by_role("button", name="Avbryt").click()

        # Change it: Ändra fills the form.
        added.get_by_role("button", name=re.compile("^Ändra")).click()
        expect(page.locator("#handlingsplan-formular-rubrik")).to_have_text("Ändra aktiviteten")
        expect(page.get_by_label("Aktivitet", exact=True)).to_have_value(
            "Nattpatrull i hemtjänsten"
        )
        page.get_by_label("Status").select_option("klar")
        page.get_by_role("textbox", name="Slut Frivilligt.").fill("2025-06-30")
        page.get_by_role("button", name="Spara aktiviteten").click()
        expect(page.locator("#handlingsplan-meddelande")).to_contain_text("är ändrad")
        expect(added.locator(".status-badge")).to_contain_text("klar")
        saved = next(a for a in handlingsplan(store, GROUP) if a.title.startswith("Nattpatrull"))
        assert saved.status is ActivityStatus.KLAR
        assert saved.end_date is not None and saved.end_date.isoformat() == "2025-06-30"

        # Remove it.
        added.get_by_role("button", name=re.compile("^Ta bort")).click()
        expect(page.locator("#handlingsplan-meddelande")).to_have_text("Aktiviteten togs bort.")
        expect(table.locator("tr", has_text="Nattpatrull")).to_have_count(0)

        # Download the plan, and the yearly follow-up.
        with page.expect_download() as got:
            plan.get_by_role("link", name="Handlingsplanen som Excel").click()
        workbook = load_workbook(io.BytesIO(got.value.path().read_bytes()))
        titles = [r[0].value for r in workbook["Handlingsplan"].iter_rows(min_row=2)]
        assert sorted(titles) == sorted(a.title for a in demo)
        with page.expect_download() as got:
            plan.get_by_role("link", name=re.compile(r"^Årlig uppföljning \d{4}")).first.click()
        text = "\n".join(
            p.text for p in Document(io.BytesIO(got.value.path().read_bytes())).paragraphs
        )
        assert "handlingsplan för Äldre" in text and "EXEMPELDATA" in text

        # Replace the plan from an edited Excel file: one bad row first, then a good file.
        workbook["Handlingsplan"]["E2"] = "avbruten"
        bad = tmp_path / "plan-fel.xlsx"
        workbook.save(bad)
        page.get_by_text("Ersätt planen från Excel").click()
        page.locator("#handlingsplan-uppladdning input[type=file]").set_input_files(str(bad))
        verdict = page.locator("#handlingsplan-bedomning")
        expect(verdict).to_contain_text("Inget har ändrats")
        expect(verdict).to_contain_text("cell E2 (rad 2)")
        expect(page.get_by_role("button", name="Ersätt planen")).to_be_disabled()

        good = tmp_path / "plan.xlsx"
        good.write_bytes(plan_workbook(demo[:2]))
        page.locator("#handlingsplan-uppladdning input[type=file]").set_input_files(str(good))
        expect(verdict).to_contain_text("2 aktiviteter, alla godkända")
        assert len(handlingsplan(store, GROUP)) == len(demo)  # nothing saved before confirming
        page.get_by_role("button", name="Ersätt planen").click()
        expect(verdict).to_contain_text("Planen är ersatt: 2 aktiviteter från 'plan.xlsx'.")
        expect(table.locator("tbody tr")).to_have_count(2)
        expect(page.locator("#handlingsplan-sammanfattning")).not_to_contain_text("Exempeldata")

        # The Indikator page names the activities that aim at the indicator.
        target = demo[0].aims[0]
        page.goto(f"{url}/indikator/{target.indicator_id}")
        wait_for_dash(page)
        section = page.locator("#indikator-aktiviteter")
        expect(section).to_contain_text(demo[0].title)
        expect(section).to_contain_text("Äldre")
        expect(section.locator(".change-badge")).to_contain_text(target.change.label)
        assert serious_axe_violations(page) == []
        if backend == "sqlite":
            _shoot(page, "handlingsplan-indikator", "section.plan-activities")
    assert off_machine(requests) == []
