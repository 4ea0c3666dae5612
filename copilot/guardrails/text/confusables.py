"""Look-alike letters mapped to the Latin letter they imitate (a subset of Unicode TR39
``confusables.txt``: the Cyrillic, Greek and Armenian letters that render like ASCII letters in
common fonts, plus dotless/small-capital forms). Data only: one entry per letter.

NFKC already folds full-width forms, ligatures and mathematical alphanumerics; this table covers
what NFKC keeps distinct.
"""

__all__ = ["SKELETON"]

SKELETON: dict[str, str] = {
    # Cyrillic capitals
    "\u0410": "A", "\u0412": "B", "\u0421": "C", "\u0415": "E", "\u041d": "H", "\u0406": "I",
    "\u0408": "J", "\u041a": "K", "\u041c": "M", "\u041e": "O", "\u0420": "P", "\u0405": "S",
    "\u0422": "T", "\u0425": "X", "\u0423": "Y", "\u04ae": "Y", "\u0417": "3", "\u04c0": "I",
    "\u050c": "G", "\u051a": "Q", "\u051c": "W", "\u0544": "U",
    # Cyrillic small
    "\u0430": "a", "\u0432": "b", "\u0441": "c", "\u0435": "e", "\u04bb": "h", "\u0456": "i",
    "\u0458": "j", "\u043a": "k", "\u043c": "m", "\u043e": "o", "\u0440": "p", "\u0455": "s",
    "\u0442": "t", "\u0445": "x", "\u0443": "y", "\u0501": "d", "\u051b": "q", "\u051d": "w",
    "\u0457": "i", "\u0475": "v", "\u04cf": "l", "\u0261": "g",
    # Greek capitals
    "\u0391": "A", "\u0392": "B", "\u0395": "E", "\u0396": "Z", "\u0397": "H", "\u0399": "I",
    "\u039a": "K", "\u039c": "M", "\u039d": "N", "\u039f": "O", "\u03a1": "P", "\u03a4": "T",
    "\u03a5": "Y", "\u03a7": "X", "\u03f9": "C", "\u037f": "J",
    # Greek small
    "\u03b1": "a", "\u03bf": "o", "\u03c1": "p", "\u03c5": "u", "\u03bd": "v", "\u03b9": "i",
    "\u03ba": "k", "\u03c7": "x", "\u03f2": "c", "\u03f3": "j",
    # Armenian
    "\u0555": "O", "\u0585": "o", "\u0578": "n", "\u057d": "u", "\u0570": "h", "\u0575": "j",
    "\u0561": "w", "\u0584": "p", "\u0566": "q", "\u0581": "g",
    # Latin look-alikes NFKC keeps
    "\u0131": "i", "\u0237": "j", "\u0269": "i", "\u026a": "I", "\u0299": "B", "\u029c": "H",
    "\u1d04": "c", "\u1d0f": "o", "\u1d1b": "T", "\u0274": "N", "\u0280": "R", "\u1d05": "D",
    "\u01c3": "!", "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2212": "-",
}
