"""No loop through two or more callbacks. A callback may write what it reads (Dash allows that
one loop), but a chain such as controls → address → controls made Dash hold a change the reader
made while the call before it ran, waiting for that call's answer, which it then dropped: the
reader's click was lost (the Indikator page's kommuner, session 7)."""

from graphlib import CycleError, TopologicalSorter

from page_app import pages_app


def _props(dependency: dict) -> tuple[set[str], set[str]]:
    outputs = set(dependency["output"].strip(".").split("..."))
    inputs = {f"{i['id']}.{i['property']}" for i in dependency["inputs"]}
    return outputs, inputs


def test_no_loop_runs_through_two_callbacks(demo_store):
    app = pages_app(demo_store)
    dependencies = app.server.test_client().get("/_dash-dependencies").get_json()
    assert len(dependencies) > 20  # every page's callbacks are registered
    props = [_props(d) for d in dependencies]
    # callback → the callbacks whose outputs it reads
    graph = {
        reader: {
            writer
            for writer, (outputs, _) in enumerate(props)
            if writer != reader and outputs & inputs
        }
        for reader, (_, inputs) in enumerate(props)
    }
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as found:
        loop = [dependencies[n]["output"] for n in found.args[1]]
        raise AssertionError(f"callbacks in a loop: {loop}") from None
