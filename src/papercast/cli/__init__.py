"""Command line: parses arguments and calls the pipeline; nothing else lives here."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from dataclasses import asdict
from pathlib import Path

from papercast import __version__, settings
from papercast.cli.options import add_allow_network, add_threads, budget_line, fetch_policy, threads
from papercast.errors import PapercastError
from papercast.runtime import tune_process

# The settings that change what `script` prints: the words (dates, intro, outro), the
# phonemes (voice language, lexicons).
SSML_HELP = "read the input as SSML (as for a .ssml file): breaks, say-as, phonemes, voices"
SCRIPT_SETTINGS = (
    "voice",
    "speaker",
    "quote_voice",
    "quote_speaker",
    "lexicons",
    "date_order",
    "intro",
    "outro",
)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    tune_process()  # before anything imports numpy: see runtime.py
    previous = signal.signal(signal.SIGTERM, _terminated)
    try:
        return int(args.func(args) or 0)
    except Terminated:
        print("papercast: terminated; no output written", file=sys.stderr)
        return 143
    except PapercastError as e:
        print(f"papercast: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("papercast: interrupted; no output written", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as e:  # the file system refused a name the user gave (too long, no access)
        if e.filename is None:
            raise
        name = os.fsdecode(e.filename)
        shown = name if len(name) <= 120 else f"{name[:60]}...{name[-40:]} ({len(name)} chars)"
        print(f"papercast: {shown}: {e.strerror or e}; no output written", file=sys.stderr)
        return 2
    finally:
        signal.signal(signal.SIGTERM, previous)


class Terminated(BaseException):
    """SIGTERM: unwinds like Ctrl-C, so every temporary file is removed on the way out."""


def _terminated(signum: int, frame: object) -> None:
    raise Terminated()


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="papercast", description="Turn news articles into spoken audio with Piper, offline."
    )
    p.add_argument("--version", action="version", version=f"papercast {__version__}")
    sub = p.add_subparsers(metavar="COMMAND")

    s = sub.add_parser(
        "speak", help="make an MP3 episode from one article (text, HTML, Markdown or SSML)"
    )
    s.add_argument("input", help="article file, an http(s) URL of an article page, or - for stdin")
    s.add_argument("-o", "--output", help="MP3 to write (default: <input stem>.mp3 here)")
    settings.add_options(s)
    s.add_argument("--encoding", help="input encoding when not UTF-8 (e.g. cp1252)")
    s.add_argument("--ssml", action="store_true", help=SSML_HELP)
    s.add_argument(
        "--no-cache", action="store_true", help="do not reuse or store synthesised sentences"
    )
    s.add_argument(
        "--force", action="store_true", help="render even when the existing output is up to date"
    )
    s.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary")
    add_allow_network(s)
    add_threads(s)
    s.set_defaults(func=cmd_speak)

    sc = sub.add_parser("script", help="print what will be spoken, in order")
    sc.add_argument("input", help="article file, or - for stdin")
    sc.add_argument(
        "--spoken", action="store_true", help="show normalised text (what the voice reads)"
    )
    sc.add_argument(
        "--phonemes", action="store_true", help="show the phonemes each sentence sends to Piper"
    )
    sc.add_argument("--dropped", action="store_true", help="also list what was dropped and why")
    sc.add_argument("--json", action="store_true", help="the whole article as JSON")
    settings.add_options(sc, SCRIPT_SETTINGS)
    sc.add_argument("--encoding", help="input encoding when not UTF-8 (e.g. cp1252)")
    sc.add_argument("--ssml", action="store_true", help=SSML_HELP)
    sc.set_defaults(func=cmd_script)

    se = sub.add_parser("sentences", help="print the sentences of plain text, one per line")
    se.add_argument("input", nargs="?", default="-", help="text file, or - for stdin (default)")
    se.set_defaults(func=cmd_sentences)

    v = sub.add_parser(
        "voices", help="voices: the profiles here, and Piper's catalogue (list, install, info)"
    )
    add_threads(v)
    v.set_defaults(func=cmd_voices)
    vsub = v.add_subparsers(metavar="ACTION")
    origin = "the catalogue's base URL or folder (default: PAPERCAST_VOICES_URL, else Piper's)"
    vl = vsub.add_parser("list", help="voices in Piper's catalogue")
    vl.add_argument("--language", default="", help="a code (en, en_GB) or a family")
    vl.add_argument("--quality", default="", help="x_low, low, medium or high")
    vl.add_argument("--installed", action="store_true", help="only those installed here")
    vl.add_argument("--from", dest="origin", help=origin)
    vl.set_defaults(func=cmd_voices_list)
    vi = vsub.add_parser("install", help="download, check (size, MD5) and install a voice")
    vi.add_argument("key", help="a catalogue key, e.g. en_GB-alba-medium")
    vi.add_argument("--from", dest="origin", help=origin)
    vi.set_defaults(func=cmd_voices_install)
    vr = vsub.add_parser("remove", help="remove an installed voice")
    vr.add_argument("key")
    vr.set_defaults(func=cmd_voices_remove)
    vf = vsub.add_parser("info", help="a voice's facts and licence class (from its MODEL_CARD)")
    vf.add_argument("key")
    vf.add_argument("--from", dest="origin", help=origin)
    vf.set_defaults(func=cmd_voices_info)
    va = vsub.add_parser(
        "audition", help="an HTML sheet with one paragraph read by each speaker of a voice"
    )
    va.add_argument("key", help="a profile, an installed voice or a .onnx model")
    va.add_argument("--speakers", type=int, metavar="N", help="the first N speakers (default 12)")
    va.add_argument("--out", help="folder for index.html and audio/ (default: KEY-audition)")
    va.set_defaults(func=cmd_voices_audition)

    c = sub.add_parser("cache", help="the clip cache: info, prune, clear")
    c.add_argument("action", choices=["info", "prune", "clear"])
    c.add_argument(
        "--max",
        metavar="SIZE",
        help="with prune: the size to prune to (e.g. 500M; default the bound)",
    )
    c.set_defaults(func=cmd_cache)

    sv = sub.add_parser(
        "serve", help="run a feed folder as a service: an HTTP API, the site, renders"
    )
    sv.add_argument("folder", type=Path, help="the feed folder (its papercast.toml)")
    # each default is [serve] in papercast.toml, else the value in brackets
    sv.add_argument("--host", help="address to listen on (127.0.0.1: loopback)")
    sv.add_argument("--port", type=int, help="port (8080; 0: any free one)")
    sv.add_argument("--token", help="API token (or PAPERCAST_TOKEN); needed beyond loopback")
    sv.add_argument("--poll-minutes", type=float, help="how often feeds are read (15)")
    sv.add_argument("--max-queue", type=int, help="submissions waiting before 429 (1000)")
    sv.add_argument("--workers", type=int, metavar="N", help="render on a local Dask cluster")
    sv.add_argument("--scheduler", metavar="ADDRESS", help="render on a running Dask cluster")
    add_threads(sv)
    sv.set_defaults(func=cmd_serve)

    from papercast.cli.feed import add_feed_parser
    from papercast.cli.lexicon import add_lexicon_parser

    add_lexicon_parser(sub)
    add_feed_parser(sub)
    return p


def cmd_speak(args: argparse.Namespace) -> int:
    from papercast.pipeline import Renderer, RunFlags

    if args.output:
        output = Path(args.output)
    else:
        from papercast.slugs import slugify

        if args.input == "-":
            stem = "article"
        elif args.input.startswith(("http://", "https://")):
            stem = slugify(args.input.rstrip("/").rsplit("/", 1)[-1].rsplit(".", 1)[0] or "article")
        else:
            stem = Path(args.input).stem
        output = Path(stem + ".mp3")
    if output.is_dir():
        raise PapercastError(f"{output}: is a directory; give an .mp3 file name")
    chosen = settings.from_cli(args)
    flags = RunFlags(
        cache=not args.no_cache,
        reuse=not args.force,
        quiet=args.quiet,
        encoding=args.encoding,
        fetch_policy=fetch_policy(args),
        threads=threads(args),
        kind="ssml" if args.ssml else None,
    )
    if args.verbose:
        print(budget_line(args), file=sys.stderr)
    episode = Renderer(chosen, flags).render(args.input, output)
    if not args.quiet:
        if episode.reused:
            print(
                f"{output}: unchanged (same article, settings and voice; files intact): nothing to "
                f"do",
                file=sys.stderr,
            )
        else:
            print(
                f"{output}: {episode.duration_ms / 1000:.1f} s, {len(episode.sentences)} sentences "
                f"({episode.synthesised} synthesised), {len(episode.chapters)} chapters, "
                f"{episode.loudness.integrated_lufs:.1f} LUFS, "
                f"{episode.loudness.true_peak_dbtp:.1f} dBTP",
                file=sys.stderr,
            )
            for extra in episode.sidecars:
                print(f"{extra}: written", file=sys.stderr)
    return 0


def cmd_cache(args: argparse.Namespace) -> int:
    from papercast.voice.cache import ClipCache, parse_size

    cache = ClipCache()
    if args.action == "info":
        info = cache.info()
        print(
            f"folder: {info.folder}\nentries: {info.entries}\nsize: {_mb(info.bytes)} of "
            f"{_mb(info.max_bytes)} "
            f"(set PAPERCAST_CACHE_MAX to change, PAPERCAST_CACHE_DIR to move)"
        )
        return 0
    bound = 0 if args.action == "clear" else (parse_size(args.max) if args.max else None)
    removed, freed = cache.prune(bound)
    print(f"removed {removed} entries, {_mb(freed)}")
    return 0


def _mb(n: int) -> str:
    return f"{n / 1024**2:.1f} MB"


def cmd_script(args: argparse.Namespace) -> int:
    from papercast.pipeline import Renderer, RunFlags
    from papercast.text.inputs import read_document
    from papercast.types import Role

    renderer = Renderer(
        settings.from_cli(args), RunFlags(cache=False, quiet=True, encoding=args.encoding)
    )
    document = read_document(args.input, encoding=args.encoding, kind="ssml" if args.ssml else None)
    article, items = renderer.script(document, phonemes=args.phonemes or args.json)
    sentences = [p.sentence for p in items]
    if args.json:
        doc = asdict(article)
        del doc["script"]  # the sentences below are the script
        doc["sentences"] = [dict(asdict(p.sentence), phonemes=p.phonemes) for p in items]
        for s in doc["sentences"]:
            del s["origin"]
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return 0
    out: list[str] = []
    prev = None
    for item, s in zip(items, sentences):
        text = s.spoken if args.spoken else s.text
        if args.phonemes:
            text = f"{text}\n    /{item.phonemes}/"
        if s.role == Role.HEADING:
            out += ["", f"## {text}"]
        elif prev is not None and (
            prev.role != s.role or prev.paragraph != s.paragraph or prev.role == Role.HEADING
        ):
            out += ["", text] if prev.role != Role.HEADING else [text]
        else:
            out.append(text)
        prev = s
    print("\n".join(out))
    if args.dropped:
        print("\n# dropped")
        for d in article.dropped:
            where = f"line {d.line}: " if d.line else ""
            print(f"- {where}[{d.reason}] {d.text}")
    return 0


def cmd_sentences(args: argparse.Namespace) -> int:
    from papercast.text.inputs import clean_text, decode_text
    from papercast.text.segment import split_sentences

    if args.input == "-":
        data = sys.stdin.buffer.read()
        source = "<stdin>"
    else:
        p = Path(args.input)
        if not p.is_file():
            raise PapercastError(f"{args.input}: no such file")
        data, source = p.read_bytes(), args.input
    text = clean_text(decode_text(data, source))
    for para in (p for p in text.split("\n\n") if p.strip()):
        for s in split_sentences(para):
            print(s)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from papercast.serve.run import serve

    return serve(
        args.folder,
        args.host,
        args.port,
        args.token,
        args.poll_minutes,
        threads(args),
        args.max_queue,
        args.scheduler,
        args.workers,
    )


def cmd_voices(args: argparse.Namespace) -> int:
    from papercast.voice.catalogue import installed, model_of
    from papercast.voice.profiles import DEFAULT_VOICE, list_profiles

    for v in list_profiles():
        mark = " (default)" if v.name == DEFAULT_VOICE else ""
        print(f"{v.name}{mark}\t{v.description}\t{v.model}")
    for key in installed():
        print(f"{key}\tinstalled from Piper's catalogue\t{model_of(key)}")
    print(budget_line(args), file=sys.stderr)
    return 0


def cmd_voices_list(args: argparse.Namespace) -> int:
    from papercast.voice.catalogue import catalogue, installed_catalogue, listing

    offline = args.installed and not args.origin  # what is here, without reading the network
    rows = listing(
        installed_catalogue() if offline else catalogue(args.origin),
        args.language,
        args.quality,
        args.installed,
    )
    for r in rows:
        mark = "installed" if r["installed"] else ""
        print(f"{r['key']}\t{r['language']}\t{r['quality']}\t{r['speakers']} speaker(s)\t{mark}")
    print(f"{len(rows)} voice(s)", file=sys.stderr)
    return 0


def cmd_voices_install(args: argparse.Namespace) -> int:
    from papercast.voice.catalogue import info, install

    folder = install(args.key, args.origin, say=lambda line: print(line, file=sys.stderr))
    lic = info(args.key, args.origin)["licence"]
    print(f"{args.key}: installed in {folder}; use it with --voice {args.key}")
    print(f"licence: {lic.kind}: {lic.reason}")
    return 0


def cmd_voices_remove(args: argparse.Namespace) -> int:
    from papercast.voice.catalogue import remove

    print(f"{remove(args.key)}: removed")
    return 0


def cmd_voices_audition(args: argparse.Namespace) -> int:
    from papercast.audio.audition import DEFAULT_SPEAKERS, voice_audition
    from papercast.voice.cache import ClipCache
    from papercast.voice.profiles import resolve_voice
    from papercast.voice.synthesize import Synthesizer

    if args.speakers is not None and args.speakers < 1:
        raise PapercastError(f"--speakers {args.speakers}: must be 1 or more")
    synth = Synthesizer(resolve_voice(args.key), cache=ClipCache())
    count = max(1, synth.config.num_speakers)
    out = Path(args.out or f"{synth.profile.name}-audition")
    page = voice_audition(synth.as_speaker, count, args.speakers, out)
    print(
        f"{page}: {min(count, args.speakers or DEFAULT_SPEAKERS)} of {count} speaker(s)",
        file=sys.stderr,
    )
    return 0


def cmd_voices_info(args: argparse.Namespace) -> int:
    from papercast.voice.catalogue import info, licence_of, model_card
    from papercast.voice.profiles import list_profiles

    profile = next((v for v in list_profiles() if v.name == args.key), None)
    card = model_card(profile.model) if profile else None
    if profile is not None and card is not None:  # a shipped profile
        config = profile.voice_config()
        facts = {
            "key": args.key,
            "installed": True,
            "language": config.get("language", {}).get("code", ""),
            "quality": config.get("audio", {}).get("quality", ""),
            "speakers": config.get("num_speakers", 1),
            "speaker_names": list(config.get("speaker_id_map") or {}),
            "licence": licence_of(card),
        }
    else:
        facts = info(args.key, args.origin)
    lic = facts["licence"]
    print(f"voice: {facts['key']} ({'installed' if facts['installed'] else 'not installed'})")
    print(
        f"language: {facts['language']}; quality: {facts['quality']}; speakers: {facts['speakers']}"
    )
    names = facts.get("speaker_names") or []
    if names:
        shown = ", ".join(names[:12]) + (f" ... ({len(names)} in all)" if len(names) > 12 else "")
        print(f"speaker names: {shown} (use one with --speaker; voices audition to hear them)")
    print(f"dataset licence: {lic.dataset_licence or '(none given)'}")
    if lic.finetuned_from:
        print(f"finetuned from: {lic.finetuned_from}")
    print(f"licence class: {lic.kind}: {lic.reason}")
    return 0
