"""The load run's script works against the served app: its recorded Dash callbacks still fit
the pages (a stale recording would show up as errors here first), and it reports per group."""

import json
import subprocess
import sys
from pathlib import Path

from indicators.paths import PROJECT_ROOT


def test_a_short_load_run_has_no_errors(live_server: str, tmp_path: Path):
    out = tmp_path / "RESULTS-load.md"
    run = subprocess.run(
        [
            sys.executable,
            "bench/load_run.py",
            live_server,
            "--users",
            "2",
            "--seconds",
            "3",
            "--out",
            str(out),
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    report = out.read_text(encoding="utf-8")
    assert "| Grupp | Anrop | Fel | Omförsök | p50 ms | p95 ms | max ms |" in report
    assert ", 0 fel," in report
    for group in ("| page |", "| dash-layout |", "| assets |"):
        assert group in report


def test_every_recorded_call_names_a_callback_the_app_has(demo_store):
    """A page's callbacks changed and the recording was not taken again: say which call and how
    to record anew, in seconds and without a server (CI met it as one 400 in the load run)."""
    from page_app import pages_app

    app = pages_app(demo_store)
    dependencies = app.server.test_client().get("/_dash-dependencies").get_json()
    known = {d["output"]: {f"{i['id']}.{i['property']}" for i in d["inputs"]} for d in dependencies}
    payloads = json.loads((PROJECT_ROOT / "bench" / "dash_payloads.json").read_text("utf-8"))
    stale = [
        f"{page}: {call['output']}"
        for page, calls in payloads.items()
        for call in calls
        if known.get(call["output"]) != {f"{_id(i['id'])}.{i['property']}" for i in call["inputs"]}
    ]
    assert not stale, (
        "bench/dash_payloads.json är inaktuell; spela in på nytt med "
        f"bench/capture_payloads.py: {stale}"
    )


def _id(component_id: str | dict) -> str:
    # Pattern ids arrive as objects in a request and as sorted JSON in the dependency list.
    if isinstance(component_id, dict):
        return json.dumps(component_id, sort_keys=True, separators=(",", ":"))
    return component_id
