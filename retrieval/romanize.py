"""Hindi in Devanagari read as the Hinglish shoppers type in Latin letters.

Many of an Indian store's shoppers write Hindi in its own script ("इन 3 में से सबसे सस्ता कौन सा
है?"); the rules, the search query parser and the model all read Latin letters, and their Hindi
words are Hinglish spellings ("in 3 mein se sabse sasta kaun sa hai?"). `romanize` writes each
Devanagari word as a shopper would type it: a consonant's inherent "a" is dropped at the end of
a word and between a vowel and a consonant that carries one ("सबसे" -> "sabse", "कमरा" ->
"kamra", "समझदार" -> "samajhdar"), the way Hindi is spoken; nasals become "n"; Devanagari
digits become ASCII; a long "a" is doubled where it closes a syllable ("बाद" -> "baad"); English words written in Devanagari that shoppers use every day ("ऑर्डर",
"स्टोर") are spelt in English. Text without Devanagari is returned as it is. Pure functions.
"""

from __future__ import annotations

import re

_CONSONANTS = {
    "क": "k", "ख": "kh", "ग": "g", "घ": "gh", "ङ": "n", "च": "ch", "छ": "chh", "ज": "j",
    "झ": "jh", "ञ": "n", "ट": "t", "ठ": "th", "ड": "d", "ढ": "dh", "ण": "n", "त": "t",
    "थ": "th", "द": "d", "ध": "dh", "न": "n", "ऩ": "n", "प": "p", "फ": "ph", "ब": "b",
    "भ": "bh", "म": "m", "य": "y", "र": "r", "ऱ": "r", "ल": "l", "ळ": "l", "व": "v",
    "श": "sh", "ष": "sh", "स": "s", "ह": "h",
    # with a nukta, precomposed
    "क़": "q", "ख़": "kh", "ग़": "gh", "ज़": "z", "ड़": "d", "ढ़": "dh", "फ़": "f", "य़": "y",
}  # fmt: skip
# a consonant letter followed by the nukta sign
_NUKTA = {"क": "q", "ख": "kh", "ग": "gh", "ज": "z", "ड": "d", "ढ": "dh", "फ": "f", "य": "y"}
_VOWELS = {
    "अ": "a", "आ": "aa", "इ": "i", "ई": "i", "उ": "u", "ऊ": "u", "ऋ": "ri", "ए": "e",
    "ऐ": "ai", "ओ": "o", "औ": "au", "ऑ": "o", "ऍ": "e", "ॲ": "e",
}  # fmt: skip
_SIGNS = {
    "ा": "A", "ि": "i", "ी": "i", "ु": "u", "ू": "u", "ृ": "ri", "े": "e", "ै": "ai",
    "ो": "o", "ौ": "au", "ॉ": "o", "ॅ": "e",
}  # fmt: skip
_VIRAMA, _NUKTA_SIGN = "्", "़"
_NASALS = {"ं", "ँ"}
_VISARGA = "ः"
_DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")
# English words shoppers write in Devanagari, and the commonest Hindi words, as they are typed
_SPELT = {
    "ऑर्डर": "order", "आर्डर": "order", "ऑर्डरों": "orders", "स्टोर": "store", "प्रोडक्ट": "product",
    "पेंडिंग": "pending", "कार्ड": "card", "रिटर्न": "return", "कैंसल": "cancel",
    "डिलीवरी": "delivery", "डिलिवरी": "delivery", "पेमेंट": "payment", "ईमेल": "email",
    "रेटिंग": "rating", "ब्रांड": "brand", "ब्रैंड": "brand", "कंपनी": "company", "लिस्ट": "list",
    "ऑप्शन": "option", "ऑफर": "offer", "पैकेट": "packet", "पैक": "pack", "प्राइस": "price",
    "स्टार": "star", "रिव्यू": "review", "एक्सचेंज": "exchange", "रिफंड": "refund",
    "गिफ्ट": "gift", "पेपाल": "paypal", "एड्रेस": "address", "स्टेटस": "status",
    "नहीं": "nahi", "क्यों": "kyun", "यह": "yeh", "वह": "woh", "मैं": "main", "हैं": "hain",
    "में": "mein", "कीजिए": "kijiye", "दीजिए": "dijiye", "चाहिए": "chahiye",
    "बताइए": "bataiye", "बताइये": "bataiye",
}  # fmt: skip
_WORD = re.compile(r"[\u0900-\u097f]+")
_LABIALS = {"p", "ph", "b", "bh", "m"}


def has_devanagari(text: str) -> bool:
    """True when text holds a Devanagari letter."""
    return bool(_WORD.search(text))


def _units(word: str) -> list[list[str]]:
    """The word as [consonant, vowel] units (consonant "" for an independent vowel, vowel "@"
    for an inherent 'a' not yet decided, "" after a virama), with nasals as their own units."""
    units: list[list[str]] = []
    for ch in word:
        if ch == _NUKTA_SIGN and units and units[-1][0]:
            base = next((k for k, v in _CONSONANTS.items() if v == units[-1][0]), "")
            units[-1][0] = _NUKTA.get(base, units[-1][0])
        elif ch in _CONSONANTS:
            units.append([_CONSONANTS[ch], "@"])
        elif ch in _VOWELS:
            units.append(["", _VOWELS[ch]])
        elif ch in _SIGNS and units and units[-1][0]:
            units[-1][1] = _SIGNS[ch]
        elif ch == _VIRAMA and units:
            units[-1][1] = ""
        elif ch in _NASALS:
            units.append(["~", ""])
        elif ch == _VISARGA:
            units.append(["h", ""])
    return units


def _drop_schwas(units: list[list[str]]) -> None:
    """Drop inherent vowels as Hindi speech does: at the word's end (a word of two letters or
    more), and, right to left, between a vowel and a consonant that keeps its own."""
    letters = [i for i, u in enumerate(units) if u[0] != "~"]
    if len(letters) >= 2 and units[letters[-1]][1] == "@":
        units[letters[-1]][1] = ""
    for k in range(len(letters) - 2, 0, -1):
        here, before, after = units[letters[k]], units[letters[k - 1]], units[letters[k + 1]]
        if here[1] == "@" and before[1] and after[0] and after[1]:
            here[1] = ""


def _word(word: str) -> str:
    if word in _SPELT:
        return _SPELT[word]
    units = _units(word)
    _drop_schwas(units)
    out: list[str] = []
    for i, (consonant, vowel) in enumerate(units):
        if consonant == "~":  # a nasal: "m" before a lip consonant, else "n"
            after = units[i + 1][0] if i + 1 < len(units) else ""
            if out and out[-1] == "e" and i + 1 == len(units):
                out[-1] = "ei"  # "में" is typed "mein", "करें" "karein"
            out.append("m" if after in _LABIALS else "n")
            continue
        if consonant == "v":  # "वाला" is typed "wala", "विकल्प" "vikalp"
            consonant = "w" if vowel in ("@", "A", "e", "ai", "o", "au") else "v"
        if vowel == "A":  # a long "a" that closes its syllable is typed "aa": "baad", "saamaan"
            nxt = units[i + 1] if i + 1 < len(units) else None
            vowel = "aa" if nxt and (nxt[0] == "~" or (nxt[0] and not nxt[1])) else "a"
        out += [consonant, "a" if vowel == "@" else vowel]
    return "".join(out)


def romanize(text: str) -> str:
    """text with every Devanagari word written in Latin letters as Hinglish is typed; the
    danda ends a sentence; text without Devanagari comes back unchanged."""
    if not has_devanagari(text):
        return text
    text = text.translate(_DIGITS).replace("॥", ".").replace("।", ".")
    text = text.replace("\u200c", "").replace("\u200d", "")
    return _WORD.sub(lambda m: _word(m.group(0)), text)
