"""The layers of docs/architecture.md, checked on the source: ``core`` imports no app of the portal
(anywhere in a module, function bodies included); a domain app imports nothing of another domain
app but its models (the model relations); and no module-level import cycle joins the project's
modules."""

import ast
from pathlib import Path

import pytest

from core.registry import portal_app_labels

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_APPS = portal_app_labels()  # the one list of the apps holding the portal's records
PROJECT_PACKAGES = ("core", "casco_portal", "sources", "api_tokens", *DOMAIN_APPS)


def modules(package):
    for path in sorted((ROOT / package).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        yield name, path


def imports(name, path, *, module_level_only=False):
    """The project modules ``path`` imports: (module, line)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    nodes = tree.body if module_level_only else ast.walk(tree)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in nodes:
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            # ``from core import history`` imports the module core.history.
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for target in targets:
            if target.split(".")[0] in PROJECT_PACKAGES:
                yield target, node.lineno


def known_module(target, names):
    """``target`` itself if it is a module, or the module it names a member of."""
    while target and target not in names:
        target = target.rpartition(".")[0]
    return target or None


def test_core_imports_no_app_of_the_portal():
    found = [
        f"{path.relative_to(ROOT)}:{line} imports {target}"
        for name, path in modules("core")
        for target, line in imports(name, path)
        if target.split(".")[0] != "core"
    ]
    assert found == []


@pytest.mark.parametrize("app", DOMAIN_APPS)
def test_a_domain_app_uses_only_the_models_of_another(app):
    found = [
        f"{path.relative_to(ROOT)}:{line} imports {target}"
        for name, path in modules(app)
        for target, line in imports(name, path)
        if target.split(".")[0] in DOMAIN_APPS
        and target.split(".")[0] != app
        and not target.startswith(f"{target.split('.')[0]}.models")
    ]
    assert found == []


def test_no_module_level_import_cycle():
    names = {name: path for package in PROJECT_PACKAGES for name, path in modules(package)}
    graph = {
        name: {
            module
            for target, _ in imports(name, path, module_level_only=True)
            if (module := known_module(target, names)) and module != name
        }
        for name, path in names.items()
    }
    # Tarjan's strongly connected components: any with more than one module is a cycle.
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    assert cycles == []


def test_the_checks_see_a_forbidden_import(tmp_path):
    """The checker itself: an import of a domain app from inside a function is found."""
    module = tmp_path / "sample.py"
    module.write_text("def f():\n    from committees.models import Committee\n    return Committee\n")
    assert list(imports("core.sample", module)) == [("committees.models.Committee", 2), ("committees.models", 2)]
