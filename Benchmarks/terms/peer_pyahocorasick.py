#!/usr/bin/env python3
"""The peer of Verso's term recognition: pyahocorasick with the same case and accent folding.

Reads the French terms of a TBX file (streaming, like Verso), folds them (NFD, combining marks
removed, lower case), builds an Aho-Corasick automaton, then folds the text the same way and
counts the matches that start and end on word boundaries (Verso matches whole words).
Prints key=value lines.
"""
import resource
import sys
import time
import unicodedata
import xml.etree.ElementTree as ET

import ahocorasick


def fold(s):
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c)).lower()


def main():
    tbx, text_path, lang = sys.argv[1], sys.argv[2], (sys.argv[3] if len(sys.argv) > 3 else "fr")
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    t0 = time.perf_counter()
    automaton = ahocorasick.Automaton()
    n = 0
    current = None
    for event, el in ET.iterparse(tbx, events=("start", "end")):
        if event == "start" and el.tag in ("langSet", "langSec"):
            current = el.get(xml_lang)
        elif event == "end" and el.tag == "term" and current == lang:
            key = fold(el.text or "")
            if key:
                automaton.add_word(key, len(key))
                n += 1
        elif event == "end" and el.tag in ("termEntry", "conceptEntry"):
            el.clear()
    automaton.make_automaton()
    built = time.perf_counter() - t0
    with open(text_path, encoding="utf-8") as f:
        text = f.read()
    size = len(text.encode("utf-8"))
    t1 = time.perf_counter()
    c1 = time.thread_time()
    folded = fold(text)
    matches = 0
    for end, length in automaton.iter(folded):
        start = end - length + 1
        if start > 0 and folded[start - 1].isalnum():
            continue
        if end + 1 < len(folded) and folded[end + 1].isalnum():
            continue
        matches += 1
    scanned = time.perf_counter() - t1
    scanned_cpu = time.thread_time() - c1
    print("terms=%d" % n)
    print("build_s=%.3f" % built)
    print("scan_s=%.3f" % scanned)
    print("mb_per_s=%.2f" % (size / 1048576 / scanned))
    print("scan_cpu_s=%.3f" % scanned_cpu)
    print("cpu_mb_per_s=%.2f" % (size / 1048576 / scanned_cpu))
    print("matches=%d" % matches)
    print("peak_rss_mb=%.1f" % (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


if __name__ == "__main__":
    main()
