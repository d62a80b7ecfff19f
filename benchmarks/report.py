"""Write one benchmark's section into docs/benchmarks.md, leaving the other sections as they are."""
from __future__ import annotations

import os
import re

DOC = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "docs", "benchmarks.md")
BEGIN, END = "<!-- begin {} -->", "<!-- end {} -->"


def replace_section(name: str, body: str) -> None:
    text = open(DOC, encoding="utf-8").read() if os.path.exists(DOC) else "# Benchmarks\n"
    begin, end = BEGIN.format(name), END.format(name)
    block = f"{begin}\n{body}\n{end}"
    if begin in text and end in text:
        text = re.sub(re.escape(begin) + r".*?" + re.escape(end), lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip("\n") + f"\n\n## {name}\n\n{block}\n"
    with open(DOC, "w", encoding="utf-8") as fh:
        fh.write(text)
