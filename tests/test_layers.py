"""The core's layers import in one direction only, and never from inside a function.

text → source → routes → views → outputs → build → render; the package's __init__ sits on top
(it is the adapter's door), the MkDocs adapter above it. A module may import its own layer and
the layers before it. A function-level import of our own code would hide a cycle: refused. The
few heavy third-party libraries loaded only when a file must be made are listed by name.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "hooks" / "microsite"
LAYERS = ["text", "source", "routes", "views", "outputs", "build", "render", "__init__"]
# Loaded inside a function on purpose: a warm build, with nothing to make, never pays for them.
LAZY_THIRD_PARTY = {"PIL", "cairocffi", "icalendar", "concurrent.futures",
                    "concurrent.futures.process", "multiprocessing", "python_calamine", "weasyprint", "fontTools",
                    "fontTools.ttLib", "pypdfium2", "cffi", "feedgenerator"}


def _layer(module: str) -> int:
    """'microsite.outputs.maket' -> the rank of 'outputs'."""
    parts = module.split(".")
    head = parts[1] if len(parts) > 1 else "__init__"
    return LAYERS.index(head)


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path):
    """(imported module, line, at top level) for every import in the file, relative ones resolved."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body} | {id(n) for node in tree.body if isinstance(node, ast.If)
                                               for n in node.body}  # `if TYPE_CHECKING:` blocks
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno, id(node) in top
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            targets = [module] if node.module else [f"{module}.{a.name}" for a in node.names]
            for target in targets:
                yield target, node.lineno, id(node) in top


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_belongs_to_a_layer() -> None:
    for path in MODULES:
        assert _layer(_module_name(path)) >= 0


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_go_down_the_layers_and_only_at_the_top(path: Path) -> None:
    here = _module_name(path)
    for target, line, at_top in _imports(path):
        ours = target == "microsite" or target.startswith("microsite.")
        where = f"{path.relative_to(PACKAGE)}:{line} imports {target}"
        if not at_top:
            assert not ours and target in LAZY_THIRD_PARTY, f"{where} inside a function"
        elif ours and target != "microsite":
            assert _layer(target) <= _layer(here), f"{where}: an upward import"


def test_the_rule_catches_an_upward_and_a_hidden_import(tmp_path: Path, monkeypatch) -> None:
    """The checks above fail on the two mistakes they exist for."""
    global PACKAGE
    fake = tmp_path / "microsite"
    (fake / "views").mkdir(parents=True)
    (fake / "views" / "bad.py").write_text("from ..render import pages\n\ndef f():\n    from ..outputs import qr\n")
    monkeypatch.setattr(__import__(__name__), "PACKAGE", fake)
    found = list(_imports(fake / "views" / "bad.py"))
    assert ("microsite.render", 1, True) in [(t, line, top) for t, line, top in found]
    with pytest.raises(AssertionError, match="upward"):
        test_imports_go_down_the_layers_and_only_at_the_top(fake / "views" / "bad.py")
    (fake / "views" / "bad.py").write_text("def f():\n    from ..outputs import qr\n")
    with pytest.raises(AssertionError, match="inside a function"):
        test_imports_go_down_the_layers_and_only_at_the_top(fake / "views" / "bad.py")


def test_only_the_adapter_imports_mkdocs() -> None:
    for path in MODULES:
        for target, line, _top in _imports(path):
            assert not target.startswith(("mkdocs", "properdocs")), f"{path.relative_to(PACKAGE)}:{line}"
