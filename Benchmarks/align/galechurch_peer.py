#!/usr/bin/env python3
"""Peer for the alignment benchmark: the `galechurch` package (PyPI; Rust core) aligning two
presegmented files in one block, written as gold.tsv-style lines.

Usage: galechurch_peer.py SOURCE TARGET OUT"""
import sys
import galechurch

def lines(path):
    with open(path, encoding="utf-8") as f:
        out = f.read().split("\n")
    if out and out[-1] == "":
        out.pop()
    return out

def main(source, target, out):
    # Its default refuses blocks over 50M cells; the benchmark wants the full-text figure.
    result = galechurch.align(lines(source), lines(target), max_block_size=2_000_000_000)
    with open(out, "w", encoding="utf-8") as f:
        for line in result.to_pharaoh_lines():
            s, t = line.split(":")[:2]
            f.write(s.strip("[]").replace(" ", "") + "\t" + t.strip("[]").replace(" ", "") + "\n")

if __name__ == "__main__":
    main(*sys.argv[1:4])
