"""X-SAMPA, the ASCII spelling of IPA that PLS lexicons and SSML ``phoneme`` elements may use,
to the IPA Piper's voices are given."""

from __future__ import annotations

from papercast.errors import LexiconError

# X-SAMPA to IPA for the symbols English lexicons use (longest first when converting).
_XSAMPA = {
    "tS": "tʃ",
    "dZ": "dʒ",
    "@`": "ɚ",
    "3`": "ɝ",
    "r\\": "ɹ",
    "4": "ɾ",
    "?": "ʔ",
    "A": "ɑ",
    "{": "æ",
    "6": "ɐ",
    "Q": "ɒ",
    "E": "ɛ",
    "@": "ə",
    "3": "ɜ",
    "I": "ɪ",
    "O": "ɔ",
    "U": "ʊ",
    "V": "ʌ",
    "Y": "ʏ",
    "2": "ø",
    "9": "œ",
    "1": "ɨ",
    "}": "ʉ",
    "M": "ɯ",
    "7": "ɤ",
    "8": "ɵ",
    "S": "ʃ",
    "Z": "ʒ",
    "T": "θ",
    "D": "ð",
    "N": "ŋ",
    "J": "ɲ",
    "G": "ɣ",
    "X": "χ",
    "x": "x",
    "C": "ç",
    "R": "ʁ",
    "L": "ʎ",
    "H": "ɥ",
    "W": "ʍ",
    "B": "β",
    "P": "ʋ",
    "F": "ɱ",
    "K": "ɬ",
    '"': "ˈ",
    "%": "ˌ",
    ":": "ː",
    "'": "ʲ",
    "_j": "ʲ",
    "~": "\u0303",
    "=": "\u0329",
    ".": ".",
    "-": "",
    "5": "ɫ",
    "h\\": "ɦ",
    "s\\": "ɕ",
    "z\\": "ʑ",
    "s`": "ʂ",
    "z`": "ʐ",
    "t`": "ʈ",
    "d`": "ɖ",
    "n`": "ɳ",
    "g": "ɡ",
}


def xsampa_to_ipa(text: str, where: str = "") -> str:
    out, i = [], 0
    keys = sorted(_XSAMPA, key=len, reverse=True)
    while i < len(text):
        ch = text[i]
        if ch == " ":
            out.append(" ")
            i += 1
            continue
        for k in keys:
            if text.startswith(k, i):
                out.append(_XSAMPA[k])
                i += len(k)
                break
        else:
            if ch.isascii() and ch.isalpha():
                out.append(ch)
                i += 1
            else:
                raise LexiconError(f"{where}: cannot convert X-SAMPA symbol {ch!r} in {text!r}")
    return "".join(out)
