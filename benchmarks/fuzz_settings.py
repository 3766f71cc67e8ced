"""The settings half of the fuzz run: random papercast.toml files (known, misspelt and unknown
keys in known and unknown tables; values of every TOML type, wrong types, huge and tiny
numbers, NaN and infinities, strings with control and non-characters, files that are
devices or missing, arrays and inline tables nested up to 300,000 deep, broken syntax),
random JSON bodies for the service's settings, and random lexicon files.

A papercast.toml is loaded (``load_config``) and, when accepted, planned with a dry-run build,
which loads the voice and lexicons it names; a JSON body goes through ``from_json`` and
``check_settings``; a lexicon through ``read_lexicon_file`` and a lookup. Each case must end
in a result or one ``PapercastError`` line, never a traceback, within 20 s, and write
nothing outside its folder.

Run by ``benchmarks/fuzz.py --half settings``.
"""

from __future__ import annotations

import json
import math
import random
import shutil
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TONE = str(ROOT / "tests" / "data" / "tone-voice.onnx")
CASE_LIMIT_S = 20.0


def _key_pool() -> dict[str, list[str]]:
    from papercast.feed.config import TABLE_KEYS
    from papercast.settings import table_keys

    pool = {t: [*TABLE_KEYS[t], *table_keys(t)] for t in ("show", "voice", "sources")}
    for keys in pool.values():
        keys += [k[:-1] for k in keys[:4]] + [k.upper() for k in keys[:2]] + ["", "x" * 300]
    return pool


def random_string(rng: random.Random) -> str:
    return rng.choice(
        [
            "",
            "joe",
            TONE,
            "/dev/zero",
            "/dev/null",
            "/etc/passwd",
            "../../../../etc/shadow",
            "missing.png",
            "https://127.0.0.1:1/feed.xml",
            "http://[::1",
            "News",
            "Technology",
            "ymd",
            "dmy",
            "vtt",
            "https://example.invalid/",
            "a@b",
            "".join(
                chr(c)
                for c in (rng.randint(0, 0x10FFFF) for _ in range(rng.randint(1, 40)))
                if not 0xD800 <= c <= 0xDFFF  # TOML cannot hold a lone surrogate at all
            ),
            "\u0001\ufffe\uffff\u0085\u2028",
            "x" * rng.randint(1000, 200_000),
        ]
    )


def random_value(rng: random.Random, depth: int = 0) -> Any:
    kind = rng.choice(
        ["int", "float", "bool", "str", "str", "list", "table", "date"]
        if depth < 4
        else ["int", "float", "bool", "str"]
    )
    if kind == "int":
        return rng.choice([0, 1, -1, 64, 320, 2**63 - 1, -(2**63), rng.randint(-500, 500)])
    if kind == "float":
        return rng.choice([math.nan, math.inf, -math.inf, 1e308, -1e-308, -16.0, 0.5, 1e-9])
    if kind == "bool":
        return rng.random() < 0.5
    if kind == "str":
        return random_string(rng)
    if kind == "list":
        return [random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    if kind == "table":
        return {random_string(rng)[:20] or "k": random_value(rng, depth + 1) for _ in range(2)}
    return "1979-05-27T07:32:00Z"  # a string here; the literal form is written by _toml


def _toml(value: Any) -> str:
    """``value`` as a TOML inline value (strings through JSON escapes, which TOML shares)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):  # TOML has no surrogate-pair escapes, and wants DEL escaped
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return "{" + ", ".join(f"{_toml(k)} = {_toml(v)}" for k, v in value.items()) + "}"


def _template() -> dict[str, Any]:
    import tomllib

    from papercast.feed.config import TEMPLATE

    doc = tomllib.loads(TEMPLATE.format(folder="show", title="Fuzz"))
    doc["show"].update(author="A", description="D", base_url="https://example.org/show/")
    return doc


def mutated_config(rng: random.Random, pool: dict[str, list[str]]) -> str:
    """A valid papercast.toml with one to three settings changed: most cases reach the build."""
    doc = _template()
    doc["voice"]["voice"] = TONE
    for _ in range(rng.randint(1, 3)):
        table = rng.choice(["show", "voice", "sources"])
        keys = pool[table]
        key = rng.choice(keys if rng.random() < 0.2 else [k for k in keys if k in doc[table]])
        old = doc[table].get(key)
        plausible = {  # a value of the right type, often out of range
            bool: lambda: rng.random() < 0.5,
            int: lambda: rng.choice([0, 1, -1, 8, 64, 100, 320, 10**6, rng.randint(-99, 999)]),
            float: lambda: rng.choice([-16.0, -1.5, 0.0, 1e9, -1e9, 150.0, 25.0]),
            str: lambda: random_string(rng),
            list: lambda: [random_string(rng) for _ in range(rng.randint(0, 3))],
        }.get(type(old))
        doc[table][key] = plausible() if plausible and rng.random() < 0.6 else random_value(rng)
    lines = []
    for table, values in doc.items():
        lines.append(f"[{table}]")
        lines += [f"{_toml(k)} = {_toml(v)}" for k, v in values.items()]
    return "\n".join(lines) + "\n"


def random_config(rng: random.Random, pool: dict[str, list[str]]) -> str:
    style = rng.choice(
        ["mutated", "mutated", "mutated", "tables", "deep", "broken", "bytes", "empty"]
    )
    if style == "mutated":
        return mutated_config(rng, pool)
    if style == "deep":
        depth = rng.randint(1000, 300_000)
        opener, closer = rng.choice([("[", "]"), ("{a = ", "}")])
        return f"[show]\ntitle = {opener * depth}1{closer * depth}\n"
    if style == "broken":
        return '[show\ntitle = "x\n[voice]]\nrate = = 3\n' + "[" * rng.randint(0, 50)
    if style == "bytes":
        return rng.randbytes(rng.randint(0, 3000)).decode("latin-1")
    if style == "empty":
        return ""
    lines = []
    tables = ["show", "voice", "sources"] + (["speech"] if rng.random() < 0.1 else [])
    for table in tables:
        if rng.random() < 0.2:
            continue
        lines.append(f"[{table}]")
        keys = pool.get(table, ["x"])
        for key in rng.sample(keys, min(len(keys), rng.randint(0, 8))):
            lines.append(f"{_toml(key)} = {_toml(random_value(rng))}")
        if table == "show" and rng.random() < 0.7:  # often a valid base_url, so more get past it
            lines.append('base_url = "https://example.org/show/"')
    return "\n".join(lines) + "\n"


def random_body(rng: random.Random) -> Any:
    from papercast.settings import specs

    names = [k for k, _ in specs()]
    if rng.random() < 0.1:
        return random_value(rng)  # not even an object
    return {
        rng.choice([*names, "vocie", "", "x" * 100]): random_value(rng)
        for _ in range(rng.randint(0, 6))
    }


def random_lexicon(rng: random.Random) -> str:
    fields = ["word", "variants", "ipa", "respell", "alias", "note", "case_sensitive", "alphabet"]
    entries = []
    for _ in range(rng.randint(0, 6)):
        entry = ["[[entry]]"]
        for key in rng.sample(fields, rng.randint(0, len(fields))):
            value = random_value(rng)
            if key in ("word", "ipa", "respell") and rng.random() < 0.5:
                value = rng.choice(["Bialiatski", "bjɑːljˈɑːtski", "byah-LYAHT-skee", "ʔ̃̃̃"])
            entry.append(f"{key} = {_toml(value)}")
        entries.append("\n".join(entry))
    return "\n\n".join(entries) + "\n"


def run(cases: int, seed: int, log: Callable[[str], None]) -> tuple[int, dict[str, int]]:
    from papercast.errors import PapercastError
    from papercast.feed.build import build
    from papercast.feed.config import load_config
    from papercast.settings import check_settings, from_json
    from papercast.voice.lexicon_files import read_lexicon_file

    rng = random.Random(seed)
    pool = _key_pool()
    failures = 0
    outcomes: dict[str, int] = {}
    slowest = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        outside = sorted(p.name for p in Path(tmp).iterdir())
        for i in range(cases):
            case = Path(tmp) / f"case{i}"
            (case / "articles").mkdir(parents=True)
            (case / "articles" / "a.txt").write_text(
                "A headline\n\nThe board met on Tuesday and approved the plan.\n", encoding="utf-8"
            )
            kind = rng.choice(["config", "config", "json", "lexicon"])
            t0 = time.monotonic()
            try:
                if kind == "config":
                    (case / "papercast.toml").write_text(
                        random_config(rng, pool), encoding="utf-8", errors="surrogatepass"
                    )
                    load_config(case)
                    kind = "config+build"
                    build(case, dry_run=True, quiet=True)
                elif kind == "json":
                    body = random_body(rng)
                    if not isinstance(body, dict):
                        raise PapercastError("a settings body must be a JSON object")
                    check_settings(from_json(json.loads(json.dumps(body, allow_nan=True))))
                else:
                    path = case / "names.toml"
                    path.write_text(random_lexicon(rng), encoding="utf-8")
                    entries = read_lexicon_file(path)
                    _ = [e.key for e in entries]
                outcome = "accepted"
            except PapercastError as e:
                outcome = "refused"
                if "\n" in str(e).strip():
                    failures += 1
                    log(f"settings case {i} ({kind}): a message of several lines: {e!r}")
            except Exception:  # noqa: BLE001 - the traceback is what this run looks for
                outcome = "traceback"
                failures += 1
                text = (
                    (case / "papercast.toml").read_text("utf-8", "replace")[:600]
                    if kind.startswith("config")
                    else ""
                )
                log(f"settings case {i} ({kind}):\n{traceback.format_exc()[-2500:]}\n{text}")
            took = time.monotonic() - t0
            slowest = max(slowest, took)
            if took > CASE_LIMIT_S:
                failures += 1
                log(f"settings case {i} ({kind}): {took:.1f} s, over {CASE_LIMIT_S:g} s")
            written = {p.name for p in case.iterdir()} - {
                "articles",
                "papercast.toml",
                "names.toml",
                ".papercast",
            }
            if written:
                failures += 1
                log(f"settings case {i} ({kind}): wrote {sorted(written)} in a dry run")
            outcomes[f"{kind}:{outcome}"] = outcomes.get(f"{kind}:{outcome}", 0) + 1
            shutil.rmtree(case)
        if sorted(p.name for p in Path(tmp).iterdir()) != outside:
            failures += 1
            log("settings cases left files behind")
    outcomes["slowest_ms"] = int(slowest * 1000)
    return failures, outcomes
