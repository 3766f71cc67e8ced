"""`papercast lexicon ...`: check an article's names, test and hear lexicon entries."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from papercast.errors import PapercastError


def add_lexicon_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    lx = sub.add_parser(
        "lexicon", help="check, test, hear, import and export pronunciation lexicons"
    )
    lsub = lx.add_subparsers(metavar="ACTION")

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--lexicon",
            action="append",
            default=[],
            metavar="PATH",
            help="extra lexicon (repeatable)",
        )
        p.add_argument("--voice", help="voice profile or .onnx model (default: joe)")

    c = lsub.add_parser("check", help="list names in an article that no lexicon covers")
    c.add_argument("input")
    c.add_argument("--json", action="store_true")
    common(c)
    c.set_defaults(func=cmd_check)

    t = lsub.add_parser(
        "test", help="check every entry reaches Piper intact, in a carrier sentence"
    )
    common(t)
    t.set_defaults(func=cmd_test)

    sy = lsub.add_parser("say", help="hear a name alone and in a sentence")
    sy.add_argument("phrase")
    sy.add_argument("-o", "--output", help="MP3 to write (default: <phrase>.mp3)")
    sy.add_argument(
        "--compare", action="store_true", help="also as espeak says it without the lexicon"
    )
    common(sy)
    sy.set_defaults(func=cmd_say)

    au = lsub.add_parser("audition", help="write a static HTML page to hear every entry both ways")
    au.add_argument("--out", required=True, help="folder for index.html and audio/")
    common(au)
    au.set_defaults(func=cmd_audition)

    im = lsub.add_parser(
        "import", help="convert a W3C PLS lexicon (Polly, Azure, ElevenLabs) to papercast TOML"
    )
    im.add_argument("input", help="a .pls file")
    im.add_argument("-o", "--output", help="TOML file to write (default: stdout)")
    im.set_defaults(func=cmd_import)

    ex = lsub.add_parser("export", help="write the loaded lexicons as W3C PLS or TOML")
    ex.add_argument("--format", choices=("pls", "toml"), default="pls")
    ex.add_argument("-o", "--output", help="file to write (default: stdout)")
    ex.add_argument(
        "--lexicon", action="append", default=[], metavar="PATH", help="extra lexicon (repeatable)"
    )
    ex.add_argument(
        "--only", action="store_true", help="only the --lexicon files, not papercast's own"
    )
    ex.set_defaults(func=cmd_export)

    lx.set_defaults(func=lambda a: (lx.print_help(), 2)[1])


def cmd_check(args: argparse.Namespace) -> int:
    from papercast.voice.check import check_article

    report = check_article(args.input, args.lexicon)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    print(f"uncovered ({len(report['uncovered'])}):")
    for u in report["uncovered"]:
        print(f"  {u['word']}  x{u['count']}  espeak /{u['espeak_ipa']}/  — {u['sentence']}")
    print(f"covered ({len(report['covered'])}):")
    for c in report["covered"]:
        print(f"  {c['word']}  x{c['count']}  /{c['ipa']}/  ({c['source']})")
    return 0


def cmd_test(args: argparse.Namespace) -> int:
    from papercast.voice.check import test_lexicon

    failures, total = test_lexicon(args.lexicon, args.voice)
    for f in failures:
        print(f"FAIL {f}")
    print(f"{total - len(failures)} passed, {len(failures)} failed")
    if failures:
        raise PapercastError(
            f"{len(failures)} lexicon entr{'y' if len(failures) == 1 else 'ies'} would not reach "
            f"Piper intact"
        )
    return 0


def _voice_and_lexicon(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from papercast.voice.cache import ClipCache
    from papercast.voice.lexicon_files import load_lexicon
    from papercast.voice.profiles import resolve_voice
    from papercast.voice.synthesize import Synthesizer

    lexicon = load_lexicon(args.lexicon)
    synth = Synthesizer(resolve_voice(args.voice), cache=ClipCache())
    for w in lexicon.validate(synth.id_map):
        print(f"papercast: warning: {w}", file=sys.stderr)
    return synth, lexicon


def cmd_say(args: argparse.Namespace) -> int:
    from papercast.audio.audition import say

    if not args.phrase.strip():
        raise PapercastError("lexicon say: give a name or phrase to say (it was empty)")
    out = Path(
        args.output or (re.sub(r"[^\w-]+", "_", args.phrase).strip("_")[:60] or "phrase") + ".mp3"
    )
    synth, lexicon = _voice_and_lexicon(args)
    for line in say(synth, lexicon, args.phrase, out, args.compare):
        print(line)
    print(f"{out}: written", file=sys.stderr)
    return 0


def cmd_audition(args: argparse.Namespace) -> int:
    from papercast.audio.audition import audition

    synth, lexicon = _voice_and_lexicon(args)
    page = audition(synth, lexicon, Path(args.out))
    print(f"{page}: {len(lexicon.entries)} entries", file=sys.stderr)
    return 0


def _write_or_print(text: str, output: str | None) -> None:
    if output:
        from papercast.files import write_text

        write_text(Path(output), text)
        print(f"{output}: written", file=sys.stderr)
    else:
        sys.stdout.write(text)


def cmd_import(args: argparse.Namespace) -> int:
    from papercast.voice.pls import read_pls, to_toml

    entries = read_pls(Path(args.input))  # all or nothing: any error raises before writing
    _write_or_print(to_toml(entries), args.output)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from papercast.voice.lexicon_files import load_lexicon
    from papercast.voice.pls import to_pls, to_toml

    lexicon = load_lexicon(args.lexicon, include_default=not args.only)
    text = to_pls(lexicon.entries) if args.format == "pls" else to_toml(lexicon.entries)
    _write_or_print(text, args.output)
    return 0
