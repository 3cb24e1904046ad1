#!/usr/bin/env python3
"""Peer for Benchmarks/segment: ICU's sentence BreakIterator (PyICU) on stdin, one sentence per
line, paragraph by paragraph."""
import sys

from icu import BreakIterator, Locale

lang = sys.argv[1] if len(sys.argv) > 1 else "fr"
text = sys.stdin.buffer.read().decode("utf-8")
breaker = BreakIterator.createSentenceInstance(Locale(lang))
out = []
for paragraph in text.split("\n\n"):
    breaker.setText(paragraph)
    start = 0
    # PyICU iterates boundaries in UTF-16 offsets of the Python string's UTF-16 form.
    units = paragraph.encode("utf-16-le")
    for end in breaker:
        sentence = units[2 * start:2 * end].decode("utf-16-le").strip()
        if sentence:
            out.append(sentence.replace("\n", " "))
        start = end
    out.append("")
sys.stdout.write("\n".join(out))
