"""One id style in the dashboard: every fixed component id is a member of an enum in
dashboard/ids.py, so a layout, its callback and its tests cannot spell one differently."""

import ast
from enum import StrEnum

from dashboard import ids
from indicators.paths import PROJECT_ROOT

ID_ARGUMENTS = {"id", "htmlFor", "labelledby", "region_id", "table_id", "png_graph_id"}
ID_ATTRIBUTES = {"aria-labelledby", "aria-describedby", "aria-controls"}


def _literal_ids(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg in ID_ARGUMENTS:
            if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                found.append(f"{node.arg}={node.value.value!r}")
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if (
                    isinstance(key, ast.Constant)
                    and key.value in ID_ATTRIBUTES
                    and isinstance(value, ast.Constant)
                ):
                    found.append(f"{key.value}={value.value!r}")
    return found


def _own_id_definitions(tree: ast.Module) -> list[str]:
    """A page's own `class Ids(StrEnum)` or a constant such as `GRAPH_ID = "…"`."""
    found = []
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name.endswith("Ids"):
            found.append(f"class {node.name}")
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            names = [t.id for t in node.targets if isinstance(t, ast.Name)]
            found += [n for n in names if n.endswith("_ID")]
    return found


def test_fixed_ids_are_members_of_the_id_enums():
    offenders = {}
    for path in sorted((PROJECT_ROOT / "dashboard").rglob("*.py")):
        name = str(path.relative_to(PROJECT_ROOT))
        if name == "dashboard/ids.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found = _literal_ids(tree) + _own_id_definitions(tree)
        if found:
            offenders[name] = found
    assert offenders == {}


def test_no_two_ids_are_the_same():
    values = [m.value for e in vars(ids).values() if _is_id_enum(e) for m in e]
    assert len(values) == len(set(values)), sorted(v for v in values if values.count(v) > 1)


def _is_id_enum(value: object) -> bool:
    return isinstance(value, type) and issubclass(value, StrEnum) and value is not StrEnum
