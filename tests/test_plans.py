"""Handlingsplaner in the domain: activities written, changed and removed under the write lock
with their audit entries, the trend since each activity started, the plan as Excel both ways
(a verdict naming file, row and column; nothing saved on any problem) and the yearly follow-up
as a Word document. On SQLite and PostgreSQL."""

import io
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook

from indicators.imports.plan_report import ran_during, yearly_followup_docx
from indicators.imports.plans import import_plan, plan_workbook, read_plan_file
from indicators.imports.records import UploadedFile
from indicators.reads.audit import audit_events
from indicators.reads.models import ActivityFields
from indicators.reads.plans import activities_for_indicator, handlingsplan
from indicators.reads.queries import indicator_detail, indicator_series
from indicators.store.store import Store
from indicators.vocabulary.domain import COUNTY_CODE, ActivityStatus, AuditAction, Gender
from indicators.vocabulary.trends import Change, Reading, judge_change
from indicators.writes.plans import (
    PlanError,
    add_activity,
    delete_activity,
    update_activity,
)

GROUP = "aldre"


def _fields(**overrides: object) -> ActivityFields:
    values: dict[str, object] = {
        "title": "Trygg hemgång",
        "owner": "Eksjö kommun, hemtjänst",
        "start_date": date(2023, 3, 1),
        "end_date": None,
        "status": ActivityStatus.PAGAR,
        "description": "Hemtjänsten möter upp vid hemkomsten.",
        "indicator_ids": ("U23401", "N20506"),
    }
    values.update(overrides)
    return ActivityFields(**values)  # type: ignore[arg-type]


def _ours(store: Store, title: str = "Trygg hemgång"):
    return next(a for a in handlingsplan(store, GROUP) if a.title == title)


def test_the_demo_store_holds_a_plan_per_strategigrupp_marked_as_demo(any_demo_store):
    for group in ("barn-och-unga", "psykiatri-och-missbruk", "aldre"):
        plan = handlingsplan(any_demo_store, group)
        assert plan, group
        assert all(a.is_demo for a in plan)
        assert all(a.aims for a in plan)


def test_an_activity_is_added_changed_and_removed_with_an_audit_entry_each(demo_copy):
    store = demo_copy
    activity_id = add_activity(store, GROUP, _fields(), "anna.analytiker")
    added = _ours(store)
    assert added.id == activity_id
    assert added.owner == "Eksjö kommun, hemtjänst"
    assert added.indicator_ids == ("N20506", "U23401")
    assert added.changed_by == "anna.analytiker"
    assert [a.title for a in activities_for_indicator(store, "N20506")].count("Trygg hemgång")

    update_activity(
        store, activity_id, _fields(status=ActivityStatus.KLAR, end_date=date(2025, 1, 31)), "bo"
    )
    changed = _ours(store)
    assert changed.status is ActivityStatus.KLAR and changed.end_date == date(2025, 1, 31)

    assert delete_activity(store, activity_id, "bo")
    assert all(a.id != activity_id for a in handlingsplan(store, GROUP))
    assert not delete_activity(store, activity_id, "bo")

    entries = audit_events(store, limit=10)
    actions = [e.action for e in entries if "Trygg hemgång" in e.subject]
    assert actions == [
        AuditAction.ACTIVITY_REMOVED,
        AuditAction.ACTIVITY_CHANGED,
        AuditAction.ACTIVITY_ADDED,
    ]
    change = next(e for e in entries if e.action is AuditAction.ACTIVITY_CHANGED)
    assert change.before["status"] == "pågår"
    assert change.after["status"] == "klar"


def test_saving_the_same_fields_again_writes_no_audit_entry(demo_copy):
    activity_id = add_activity(demo_copy, GROUP, _fields(), "anna")
    before = len(audit_events(demo_copy, limit=1000))
    update_activity(demo_copy, activity_id, _fields(), "anna")
    assert len(audit_events(demo_copy, limit=1000)) == before


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"title": "  "}, "Aktivitet: skriv vad aktiviteten heter."),
        ({"owner": ""}, "Ansvarig: ange vilken organisation som ansvarar."),
        ({"start_date": None}, "Start: ange ett datum (ÅÅÅÅ-MM-DD)."),
        ({"end_date": date(2020, 1, 1)}, "Slut: slutet (2020-01-01) ligger före starten."),
        ({"status": None}, "Status: välj en av planerad, pågår, klar, pausad."),
        ({"indicator_ids": ("U23401", "FINNS-INTE")}, "Indikatorer: finns inte i katalogen"),
        ({"description": "x" * 2001}, "Beskrivning: högst 2000 tecken (nu 2001)."),
        (
            {"owner": "Kontakt: Anna, 19121212-1212"},
            "Ansvarig: texten innehåller något som liknar ett personnummer",
        ),
    ],
)
def test_invalid_activities_are_refused_in_swedish_naming_the_field(demo_copy, overrides, expected):
    with pytest.raises(PlanError) as refused:
        add_activity(demo_copy, GROUP, _fields(**overrides), "anna")
    assert any(m.startswith(expected) for m in refused.value.messages), refused.value.messages
    assert all(a.title != "Trygg hemgång" for a in handlingsplan(demo_copy, GROUP))


def test_an_unknown_strategigrupp_is_refused(demo_copy):
    with pytest.raises(PlanError, match="Strategigruppen 'finns-inte' finns inte"):
        add_activity(demo_copy, "finns-inte", _fields(), "anna")


def test_the_trend_since_start_compares_the_last_period_before_it_with_the_latest(demo_copy):
    store = demo_copy
    add_activity(store, GROUP, _fields(start_date=date(2022, 9, 1)), "anna")
    aim = next(a for a in _ours(store).aims if a.indicator_id == "U23401")
    series = indicator_series(store, "U23401", [COUNTY_CODE], Gender.TOTAL)
    values = dict(zip(series["period"], series["value"], strict=True))
    # 2022 was still running on 1 September 2022: the starting point is 2021.
    assert aim.start_period == "2021"
    assert aim.start_value == values["2021"]
    latest = series[series["value"].notna()].iloc[-1]
    assert aim.latest_period == latest["period"]
    detail = indicator_detail(store, "U23401")
    assert detail is not None
    expected = judge_change(
        Reading(float(values["2021"])),
        Reading(float(latest["value"])),
        detail.summary.direction,
        detail.summary.value_kind,
        detail.summary.decimals,
    ).change
    assert aim.change is expected


def test_an_activity_started_after_the_latest_value_has_no_trend_yet(demo_copy):
    add_activity(demo_copy, GROUP, _fields(start_date=date(2030, 1, 1)), "anna")
    for aim in _ours(demo_copy).aims:
        assert aim.latest_period is None
        assert aim.change is Change.NOT_COMPARABLE


# --- The plan as Excel ------------------------------------------------------------------------


def _known(store: Store) -> set[str]:
    from indicators.reads.queries import catalogue_tree

    return {i.id for s in catalogue_tree(store) for m in s.matomraden for i in m.indicators}


def test_the_plan_goes_out_to_excel_and_back_unchanged(demo_copy):
    store = demo_copy
    plan = handlingsplan(store, GROUP)
    content = plan_workbook(plan)
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Handlingsplan", "Utveckling"]
    header = [c.value for c in workbook["Handlingsplan"][1]]
    assert header[:5] == ["Aktivitet", "Ansvarig", "Start", "Slut", "Status"]
    saved, problems = import_plan(
        store, GROUP, UploadedFile("plan.xlsx", content), _known(store), "anna"
    )
    assert problems == []
    assert saved == len(plan)
    again = handlingsplan(store, GROUP)

    def shape(a):
        return (a.title, a.owner, a.start_date, a.end_date, a.status, a.indicator_ids)

    assert sorted(map(shape, again)) == sorted(map(shape, plan))
    assert not any(a.is_demo for a in again)  # an analyst's plan now, not Exempeldata
    entry = audit_events(store, limit=1)[0]
    assert entry.action is AuditAction.PLAN_IMPORTED
    assert "plan.xlsx" in entry.subject


def test_a_plan_file_with_bad_rows_names_file_sheet_row_and_column_and_saves_nothing(demo_copy):
    store = demo_copy
    before = handlingsplan(store, GROUP)
    workbook = load_workbook(io.BytesIO(plan_workbook(before)))
    sheet = workbook["Handlingsplan"]
    sheet["C2"] = "första mars"
    sheet["E3"] = "avbruten"
    sheet["G4"] = "U23401, PÅHITTAD"
    buffer = io.BytesIO()
    workbook.save(buffer)
    verdict = read_plan_file(UploadedFile("plan.xlsx", buffer.getvalue()), _known(store))
    assert not verdict.ok
    located = {(p.row, p.column) for p in verdict.problems}
    assert located == {(2, "C"), (3, "E"), (4, "G")}
    texts = " ".join(p.message for p in verdict.problems)
    assert "Filen 'plan.xlsx', bladet 'Handlingsplan', cell C2 (rad 2)" in texts
    assert "'första mars' är inget datum" in texts
    assert "'avbruten' är inte en av planerad, pågår, klar, pausad" in texts
    assert "PÅHITTAD" in texts
    saved, problems = import_plan(
        store, GROUP, UploadedFile("plan.xlsx", buffer.getvalue()), _known(store), "anna"
    )
    assert saved == 0 and problems
    assert handlingsplan(store, GROUP) == before


def test_a_plan_file_without_the_header_row_is_refused_with_a_hint(demo_copy):
    import pandas as pd

    from indicators.spreadsheets import to_xlsx_bytes

    content = to_xlsx_bytes({"Blad1": pd.DataFrame({"Vad": ["x"], "När": ["2024"]})})
    verdict = read_plan_file(UploadedFile("egen.xlsx", content), _known(demo_copy))
    assert not verdict.ok
    assert "saknar rubrikraden" in verdict.problems[0].message
    assert "nedladdade handlingsplanen" in verdict.problems[0].message


def test_a_plan_file_with_a_personnummer_is_refused_before_it_is_read(demo_copy):
    workbook = load_workbook(io.BytesIO(plan_workbook(handlingsplan(demo_copy, GROUP))))
    workbook["Handlingsplan"]["F2"] = "Kontakt 19121212-1212"
    buffer = io.BytesIO()
    workbook.save(buffer)
    verdict = read_plan_file(UploadedFile("plan.xlsx", buffer.getvalue()), _known(demo_copy))
    assert not verdict.ok
    assert "personnummer" in verdict.problems[0].message
    assert "1212-1212" not in " ".join(p.message for p in verdict.problems)


# --- The yearly follow-up -----------------------------------------------------------------------


def test_the_yearly_followup_is_a_word_document_of_the_activities_that_ran_that_year(
    any_demo_store,
):
    plan = handlingsplan(any_demo_store, GROUP)
    year = 2025
    content = yearly_followup_docx("Äldre", year, plan, demo=True, source="Exempeldata, 2026")
    document = Document(io.BytesIO(content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Årlig uppföljning 2025: handlingsplan för Äldre" in text
    assert "EXEMPELDATA" in text
    ran = [a for a in plan if ran_during(a, year)]
    not_ran = [a for a in plan if not ran_during(a, year)]
    assert ran and not_ran  # the demo plan has a finished activity (ended 2024)
    for activity in ran:
        assert activity.title in text
    for activity in not_ran:
        assert activity.title not in text
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    first_aim = ran[0].aims[0]
    assert (first_aim.short_title or first_aim.title) in cells
    assert first_aim.change.label in cells or "inga nya värden sedan start" in cells
