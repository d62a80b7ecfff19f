"""Which env var names hold credentials: their value must come from a Secret, never the spec."""
from __future__ import annotations

import re

_SECRET_WORDS = {"PASSWORD", "PASSWD", "SECRET", "TOKEN", "APIKEY", "CREDENTIAL", "CREDENTIALS",
                 "PRIVATEKEY", "ACCESSKEY"}


def looks_like_secret(name: str) -> bool:
    """True when a variable name says it holds a credential (HF_TOKEN, DB_PASSWORD, API_KEY)."""
    words = [w for w in re.split(r"[^A-Za-z0-9]+", name.upper()) if w]
    pairs = {a + b for a, b in zip(words, words[1:])}
    return bool(_SECRET_WORDS & (set(words) | pairs))
