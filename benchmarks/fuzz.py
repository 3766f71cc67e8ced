"""Fuzz papercast with hostile input, in three halves (well, thirds):

- files: the command line with random bytes, truncated UTF-8, huge lines, deep markup, empty
  and binary files, random option values. Every run must end with status 0 or 2, print no
  traceback, and leave no file it should not have. Runs in-process (papercast.cli.main) for
  speed, with the tiny tone test voice so that an accepted input is also synthesised.
- network: a loopback server answering random malformed HTTP to every network reader
  (fuzz_network.py: its docstring lists the kinds, the deadlines and the canaries).
- settings: random papercast.toml files, JSON settings bodies and lexicon files
  (fuzz_settings.py).

Usage: python benchmarks/fuzz.py [--half files|network|settings|all] [--cases 1000] [--seed N]
(--cases is per half). Exit status 1 when any case failed.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TONE = str(ROOT / "tests" / "data" / "tone-voice.onnx")
SAMPLE = (ROOT / "samples" / "wire-copper.txt").read_text(encoding="utf-8")


def hostile_input(rng: random.Random) -> tuple[bytes, str, str]:
    """Bytes, a file suffix, and the kind (huge inputs are only scripted: a 200,000-word line
    is a legitimate six-hour episode, which would make the fuzz run take hours)."""
    data, suffix = _hostile(rng)
    return data, suffix, "huge" if len(data) > 100_000 else "small"


def _hostile(rng: random.Random) -> tuple[bytes, str]:
    kind = rng.choice(
        [
            "random",
            "truncated",
            "hugeline",
            "deephtml",
            "empty",
            "nul",
            "mixed",
            "markdown",
            "utf16",
            "controls",
            "article",
        ]
    )
    if kind == "random":
        return rng.randbytes(rng.randint(1, 5000)), ".txt"
    if kind == "truncated":
        data = SAMPLE.encode("utf-8") + "Ó Fearghail naïve".encode()
        return data[: rng.randint(1, len(data))] + "é".encode()[:1], ".txt"
    if kind == "hugeline":
        return ("word " * rng.randint(10_000, 200_000)).encode("ascii"), ".txt"
    if kind == "deephtml":
        depth = rng.randint(100, 3000)
        return (("<div>" * depth) + "<p>" + SAMPLE[:2000] + "</p>" + ("</div>" * depth)).encode(
            "utf-8"
        ), ".html"
    if kind == "empty":
        return b"", rng.choice([".txt", ".html", ".md"])
    if kind == "nul":
        return b"\x00" * rng.randint(1, 100) + SAMPLE.encode("utf-8"), ".txt"
    if kind == "mixed":
        words = SAMPLE.split()
        rng.shuffle(words)
        return " ".join(words[: rng.randint(0, 300)]).encode("utf-8"), rng.choice(
            [".txt", ".md", ".html"]
        )
    if kind == "markdown":
        return (
            "---\ntitle: "
            + "x" * rng.randint(0, 500)
            + "\n---\n"
            + "#" * rng.randint(1, 12)
            + " h\n"
            + "|a|b|\n" * rng.randint(0, 50)
        ).encode("utf-8"), ".md"
    if kind == "utf16":
        return SAMPLE[:3000].encode(rng.choice(["utf-16", "utf-16-le", "utf-16-be"])), ".txt"
    if kind == "controls":
        return "".join(chr(rng.randint(0, 31)) for _ in range(rng.randint(1, 2000))).encode(
            "utf-8"
        ), ".txt"
    return SAMPLE[: rng.randint(200, len(SAMPLE))].encode("utf-8"), ".txt"


def hostile_options(rng: random.Random) -> list[str]:
    pool = [
        ["--target-lufs", rng.choice(["nan", "inf", "-inf", "1e309", "-16", "-200", "abc", "-5"])],
        ["--ceiling-dbtp", rng.choice(["nan", "0", "-1", "5", "-100"])],
        ["--bitrate", rng.choice(["0", "64", "65", "-1", "320", "x"])],
        ["--transcript", rng.choice(["vtt", "srt,vtt", "txt", ",,", "vtt,vtt"])],
        ["--voice", rng.choice([TONE, "nope", "/dev/null", "x.onnx", "x.toml"])],
        ["--lexicon", rng.choice(["/dev/null", "missing.toml", "in.txt"])],
        ["--encoding", rng.choice(["utf-8", "latin-1", "nonsense", "utf-16"])],
        ["--cover", rng.choice(["in.txt", "missing.png", "c" * 300, "/dev/zero"])],
        ["--lexicon", rng.choice(["n" * 256, "a/" * 2100])],
        ["--bed", rng.choice(["/dev/zero", "b" * 5000, "in.txt"])],
        ["--rate", rng.choice(["0", "24", "400", "1e400", "-50", "nan", "80"])],
    ]
    opts: list[str] = []
    for _ in range(rng.randint(0, 3)):
        opts += rng.choice(pool)
    return opts


def run_case(rng: random.Random, folder: Path) -> tuple[int, str, set[str]]:
    from papercast.cli import main

    data, suffix, size = hostile_input(rng)
    src = folder / f"in{suffix}"
    src.write_bytes(data)
    before = {p.name for p in folder.iterdir()}
    command = rng.choice(
        ["speak", "speak", "script", "sentences"] if size == "small" else ["script", "sentences"]
    )
    args = [command, str(src)]
    if command == "speak":
        args += [
            "-o",
            str(folder / "out.mp3"),
            "-q",
            "--no-cache",
            "--voice",
            TONE,
        ] + hostile_options(rng)
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = main(args)
        except SystemExit as e:  # argparse's own refusals
            code = int(e.code or 0)
        except (KeyboardInterrupt, GeneratorExit):
            raise
        except BaseException as e:  # noqa: BLE001 (that is what we are looking for)
            if type(e).__name__ == "Terminated":  # SIGTERM sent to this fuzz run itself
                raise
            code = -1
            err.write(traceback.format_exc())
    after = {p.name for p in folder.iterdir()}
    made = after - before
    expected = {"out.mp3", "out.vtt", "out.srt"} if code == 0 else set()
    unexpected = {m for m in made if m not in expected}
    for p in folder.iterdir():
        if p.name != src.name:
            p.unlink()
    return code, err.getvalue(), unexpected


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--half", choices=["files", "network", "settings", "all"], default="all")
    ap.add_argument("--cases", type=int, default=1000, help="cases per half")
    ap.add_argument("--seed", type=int, default=20261127)
    args = ap.parse_args()
    failed = 0
    for half in ("files", "network", "settings") if args.half == "all" else (args.half,):
        t0 = time.monotonic()
        if half == "files":
            failed += files_half(args.cases, args.seed)
        else:
            module = __import__(f"fuzz_{half}")
            failures, outcomes = module.run(
                args.cases, args.seed, lambda line: print(line, file=sys.stderr)
            )
            print(f"{args.cases} {half} cases: {failures} failed; {dict(sorted(outcomes.items()))}")
            failed += failures
        print(f"{half}: {time.monotonic() - t0:.0f} s")
    return 1 if failed else 0


def files_half(cases: int, seed: int) -> int:
    rng = random.Random(seed)
    tracebacks = unexpected_files = 0
    codes: dict[int, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["PAPERCAST_CACHE_DIR"] = str(Path(tmp) / "cache")
        folder = Path(tmp) / "work"
        folder.mkdir()
        for i in range(cases):
            code, err, unexpected = run_case(rng, folder)
            codes[code] = codes.get(code, 0) + 1
            if "Traceback" in err or code not in (0, 2):
                tracebacks += 1
                print(f"case {i}: exit {code}\n{err[-2000:]}", file=sys.stderr)
            if unexpected:
                unexpected_files += 1
                print(f"case {i}: unexpected files {sorted(unexpected)}", file=sys.stderr)
            for p in folder.iterdir():
                p.unlink()
    print(
        f"{cases} files cases: exit codes {dict(sorted(codes.items()))}; "
        f"{tracebacks} tracebacks or unexpected statuses, {unexpected_files} with unexpected files"
    )
    return tracebacks + unexpected_files


if __name__ == "__main__":
    raise SystemExit(main())
