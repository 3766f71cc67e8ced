"""Command line: parses arguments and calls the pipeline; nothing else lives here."""

from __future__ import annotations

import argparse
import json
import signal
import sys
from dataclasses import asdict
from pathlib import Path

from papercast import __version__
from papercast.errors import PapercastError
from papercast.runtime import tune_process

OUTRO_DISCLOSURE = "This article was read by a synthetic voice, made with papercast."


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
    finally:
        signal.signal(signal.SIGTERM, previous)


class Terminated(BaseException):
    """SIGTERM: unwinds like Ctrl-C, so every temporary file is removed on the way out."""


def _terminated(signum: int, frame: object) -> None:
    raise Terminated()


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="papercast", description="Turn news articles into spoken audio with Piper, offline.")
    p.add_argument("--version", action="version", version=f"papercast {__version__}")
    sub = p.add_subparsers(metavar="COMMAND")

    s = sub.add_parser("speak", help="make an MP3 episode from one article (text, HTML or Markdown)")
    s.add_argument("input", help="article file, an http(s) URL of an article page, or - for stdin")
    s.add_argument("-o", "--output", help="MP3 to write (default: <input stem>.mp3 here)")
    _voice_args(s)
    s.add_argument("--bitrate", type=int, default=64, metavar="KBPS", help="MP3 bitrate (default 64)")
    s.add_argument("--target-lufs", type=float, default=-16.0, help="integrated loudness target (default -16)")
    s.add_argument("--ceiling-dbtp", type=float, default=-1.0, help="true-peak ceiling (default -1.0)")
    s.add_argument("--intro", action="store_true", help="read byline, site and date after the headline")
    s.add_argument("--outro", nargs="?", const=OUTRO_DISCLOSURE, default="", metavar="TEXT",
                   help="read a closing line: TEXT, or without TEXT a note that the voice is synthetic")
    s.add_argument("--transcript", default="", metavar="FORMATS",
                   help="write transcripts beside the MP3: vtt,srt (captions from word timings), json "
                        "(Podcasting 2.0, one segment per word)")
    s.add_argument("--chapters-json", action="store_true", help="write Podcasting 2.0 chapters JSON beside the MP3")
    s.add_argument("--date-order", choices=("mdy", "dmy"), default="mdy",
                   help="numeric dates such as 10/06/2025: month first (mdy, en-US; default) or day first (dmy)")
    s.add_argument("--page", action="store_true",
                   help="write a read-along page (.html) beside the MP3: the text highlighted as it is said")
    s.add_argument("--artist", default="", help="ID3 artist (default: byline or site)")
    s.add_argument("--album", default="", help="ID3 album (default: site)")
    s.add_argument("--cover", help="cover image (square PNG or JPEG, 300-3000 px)")
    s.add_argument("--intro-music", metavar="FILE", help="music before the headline, ducked under it (any format soundfile reads)")
    s.add_argument("--outro-music", metavar="FILE", help="music after the last sentence")
    s.add_argument("--bed", metavar="FILE", help="music looped quietly under the reading, lower under words")
    s.add_argument("--no-cache", action="store_true", help="do not reuse or store synthesised sentences")
    s.add_argument("--force", action="store_true", help="render even when the existing output is up to date")
    s.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary")
    s.set_defaults(func=cmd_speak)

    sc = sub.add_parser("script", help="print what will be spoken, in order")
    sc.add_argument("input", help="article file, or - for stdin")
    sc.add_argument("--spoken", action="store_true", help="show normalised text (what the voice reads)")
    sc.add_argument("--phonemes", action="store_true", help="show the phonemes each sentence sends to Piper")
    sc.add_argument("--dropped", action="store_true", help="also list what was dropped and why")
    sc.add_argument("--json", action="store_true", help="the whole article as JSON")
    sc.add_argument("--lexicon", action="append", default=[], metavar="PATH", help="extra lexicon (repeatable)")
    sc.add_argument("--encoding", help="input encoding when not UTF-8 (e.g. cp1252)")
    sc.set_defaults(func=cmd_script)

    se = sub.add_parser("sentences", help="print the sentences of plain text, one per line")
    se.add_argument("input", nargs="?", default="-", help="text file, or - for stdin (default)")
    se.set_defaults(func=cmd_sentences)

    v = sub.add_parser("voices", help="list voice profiles")
    v.set_defaults(func=cmd_voices)

    c = sub.add_parser("cache", help="the clip cache: info, prune, clear")
    c.add_argument("action", choices=["info", "prune", "clear"])
    c.add_argument("--max", metavar="SIZE", help="with prune: the size to prune to (e.g. 500M; default the bound)")
    c.set_defaults(func=cmd_cache)

    from papercast.cli.feed import add_feed_parser
    from papercast.cli.lexicon import add_lexicon_parser

    add_lexicon_parser(sub)
    add_feed_parser(sub)
    return p


def _voice_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--voice", help="voice profile name (papercast voices), profile .toml, or Piper .onnx model")
    p.add_argument("--lexicon", action="append", default=[], metavar="PATH",
                   help="extra pronunciation lexicon (TOML or PLS); repeatable, later ones win")
    p.add_argument("--encoding", help="input encoding when not UTF-8 (e.g. cp1252)")


def cmd_speak(args: argparse.Namespace) -> int:
    from papercast.pipeline import EpisodeSettings, Renderer, RunFlags

    if args.output:
        output = Path(args.output)
    else:
        from papercast.feed.sources import slugify

        if args.input == "-":
            stem = "article"
        elif args.input.startswith(("http://", "https://")):
            stem = slugify(args.input.rstrip("/").rsplit("/", 1)[-1].rsplit(".", 1)[0] or "article")
        else:
            stem = Path(args.input).stem
        output = Path(stem + ".mp3")
    if output.is_dir():
        raise PapercastError(f"{output}: is a directory; give an .mp3 file name")
    settings = EpisodeSettings(
        voice=args.voice, lexicons=tuple(args.lexicon), bitrate_kbps=args.bitrate, target_lufs=args.target_lufs,
        ceiling_dbtp=args.ceiling_dbtp, intro=args.intro, outro=args.outro,
        transcripts=tuple(t.strip() for t in args.transcript.split(",") if t.strip()),
        chapters_json=args.chapters_json, page=args.page, date_order=args.date_order, artist=args.artist, album=args.album, cover=args.cover,
        intro_music=args.intro_music, outro_music=args.outro_music, bed_music=args.bed,
    )
    flags = RunFlags(cache=not args.no_cache, reuse=not args.force, quiet=args.quiet, encoding=args.encoding)
    episode = Renderer(settings, flags).render(args.input, output)
    if not args.quiet:
        if episode.reused:
            print(f"{output}: unchanged (same article, settings and voice; files intact): nothing to do",
                  file=sys.stderr)
        else:
            print(f"{output}: {episode.duration_ms / 1000:.1f} s, {len(episode.sentences)} sentences "
                  f"({episode.synthesised} synthesised), {len(episode.chapters)} chapters, "
                  f"{episode.loudness.integrated_lufs:.1f} LUFS, {episode.loudness.true_peak_dbtp:.1f} dBTP",
                  file=sys.stderr)
            for extra in episode.sidecars:
                print(f"{extra}: written", file=sys.stderr)
    return 0


def cmd_cache(args: argparse.Namespace) -> int:
    from papercast.voice.cache import ClipCache, parse_size

    cache = ClipCache()
    if args.action == "info":
        info = cache.info()
        print(f"folder: {info.folder}\nentries: {info.entries}\nsize: {_mb(info.bytes)} of {_mb(info.max_bytes)} "
              f"(set PAPERCAST_CACHE_MAX to change, PAPERCAST_CACHE_DIR to move)")
        return 0
    bound = 0 if args.action == "clear" else (parse_size(args.max) if args.max else None)
    removed, freed = cache.prune(bound)
    print(f"removed {removed} entries, {_mb(freed)}")
    return 0


def _mb(n: int) -> str:
    return f"{n / 1024**2:.1f} MB"


def cmd_script(args: argparse.Namespace) -> int:
    from papercast.pipeline import load_article
    from papercast.text.script import sentences_of
    from papercast.types import Role
    from papercast.voice.lexicon import load_lexicon
    from papercast.voice.phonemize import phonemize_all

    article = load_article(args.input, args.encoding)
    sentences = sentences_of(article)
    lexicon = load_lexicon(args.lexicon)
    phonemes = phonemize_all(sentences, lexicon) if (args.phonemes or args.json) else None
    if args.json:
        doc = asdict(article)
        doc["sentences"] = [dict(asdict(p.sentence), phonemes=p.phonemes) for p in phonemes or []]
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return 0
    out: list[str] = []
    prev = None
    for i, s in enumerate(sentences):
        text = s.spoken if args.spoken else s.text
        if args.phonemes and phonemes:
            text = f"{text}\n    /{phonemes[i].phonemes}/"
        if s.role == Role.HEADING:
            out += ["", f"## {text}"]
        elif prev is not None and (prev.role != s.role or prev.paragraph != s.paragraph or prev.role == Role.HEADING):
            out += (["", text] if prev.role != Role.HEADING else [text])
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


def cmd_voices(args: argparse.Namespace) -> int:
    from papercast.voice.profiles import DEFAULT_VOICE, list_profiles

    for v in list_profiles():
        mark = " (default)" if v.name == DEFAULT_VOICE else ""
        print(f"{v.name}{mark}\t{v.description}\t{v.model}")
    return 0


