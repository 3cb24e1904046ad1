#!/usr/bin/env python3
"""Builds a long presegmented bitext for the alignment benchmark by repeating the documents of
a gold set (../shared/data/alignment/<set>/) bead by bead until the source side has at least
N sentences, cut at a bead boundary so both sides stay parallel.

Usage: make_bitext.py SET_DIR N OUT_SOURCE OUT_TARGET
Prints the numbers of source and target sentences."""
import sys

def lines(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    out = text.split("\n")
    if out and out[-1] == "":
        out.pop()
    return out

def main(set_dir, n, out_source, out_target):
    source = lines(set_dir + "/source.txt")
    target = lines(set_dir + "/target.txt")
    beads = []
    for line in lines(set_dir + "/gold.tsv"):
        s, t = line.split("\t")[:2]
        beads.append(([int(x) for x in s.split(",") if x], [int(x) for x in t.split(",") if x]))
    # Only beads in document order on both sides, so the repeated text stays parallel.
    src_out, tgt_out = [], []
    while len(src_out) < n:
        for s, t in beads:
            src_out.extend(source[i] for i in s)
            tgt_out.extend(target[j] for j in t)
            if len(src_out) >= n:
                break
    with open(out_source, "w", encoding="utf-8") as f:
        f.write("\n".join(src_out) + "\n")
    with open(out_target, "w", encoding="utf-8") as f:
        f.write("\n".join(tgt_out) + "\n")
    print(len(src_out), len(tgt_out))

if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4])
