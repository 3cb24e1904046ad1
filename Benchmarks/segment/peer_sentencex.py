#!/usr/bin/env python3
"""Peer for Benchmarks/segment: pip `sentencex` on stdin, one sentence per line (paragraphs are
separated by blank lines, as `verso segment` reads them)."""
import sys

import sentencex

lang = sys.argv[1] if len(sys.argv) > 1 else "fr"
text = sys.stdin.buffer.read().decode("utf-8")
out = []
for paragraph in text.split("\n\n"):
    for sentence in sentencex.segment(lang, paragraph):
        sentence = sentence.strip()
        if sentence:
            out.append(sentence.replace("\n", " "))
    out.append("")
sys.stdout.write("\n".join(out))
