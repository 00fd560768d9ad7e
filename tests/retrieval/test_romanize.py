"""Hindi in Devanagari is read as the Hinglish shoppers type: the inherent vowel dropped where
speech drops it, nasals as "n", a long "a" doubled where it closes a syllable, digits in ASCII."""

from __future__ import annotations

import pytest

from retrieval.romanize import has_devanagari, romanize


@pytest.mark.parametrize(
    "devanagari, typed",
    [
        ("सबसे सस्ता कौन सा है?", "sabse sasta kaun sa hai?"),  # the cheapest
        ("कमरा", "kamra"),  # a vowel between two consonants that keep theirs: dropped
        ("समझदार", "samajhdaar"),  # right to left: "jh" loses it, "m" keeps it
        ("अपना दूसरा", "apna dusra"),
        ("बेहतर", "behtar"),
        ("इनमें से", "inmein se"),  # "e" with a nasal at the end is typed "ein"
        ("बाद वाला", "baad wala"),  # a closed long "a" doubled; "v" before "a" is "w"
        ("हाँ", "haan"),
        ("ज़्यादा फ़ायदा", "zyada faayda"),  # nukta letters
        ("पड़ता", "padta"),
        ("इन ३ में", "in 3 mein"),  # Devanagari digits
        ("ऑर्डर रद्द", "order radd"),  # an English word in Devanagari is spelt in English
        ("अंबर", "ambar"),  # a nasal before a lip consonant is "m"
    ],
)
def test_devanagari_words_come_out_as_hinglish_is_typed(devanagari, typed):
    assert romanize(devanagari) == typed


def test_mixed_text_keeps_its_latin_words_and_text_without_devanagari_is_unchanged():
    assert romanize("storage वाला product इनमें से कौन सा है।") == (
        "storage wala product inmein se kaun sa hai."
    )
    text = "which is the cheapest? ₹99 or ₹120 🙏"
    assert romanize(text) is text
    assert has_devanagari("क्या") and not has_devanagari("kya")
