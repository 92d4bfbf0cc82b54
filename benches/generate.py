#!/usr/bin/env python3
"""Writes the synthetic national measurement set for the benchmarks.

Every buurt of the built-in CBS 2024 classification (14,574) gets a value for each of 40
indicators (B01..B40) in each of 20 years (2006..2025): 11,659,200 rows in the importer's own
CSV format (indicator,gebied,periode,teller,noemer). B01..B30 are ratios (a numerator of at
most the denominator, e.g. children reached out of children in the age group), B31..B40 are
counts. Buurten differ in size the way real ones do: many small ones, a few large ones, so
part of every roll-up falls under the publication rules' small-number limits.

Output, in the folder given (default target/bench-data):
  indicators.csv      code,kind of every indicator, for the set-up
  national-NN.csv     the full set in one file per indicator (NN = 01..40)
  subset-1m.csv       the first 1,000,000 rows of the full set, for the import comparison

The numbers are reproducible: the same seed gives the same files.
"""

import argparse
import csv
import os
import random
import sys

INDICATORS = 40
RATIOS = 30
YEARS = list(range(2006, 2026))
SUBSET = 1_000_000


def buurten(classification):
    with open(classification, newline="", encoding="utf-8") as f:
        return [row["code"] for row in csv.DictReader(f) if row["level"] == "buurt"]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", nargs="?", default=os.path.join(here, "..", "target", "bench-data"))
    parser.add_argument("--classification", default=os.path.join(here, "..", "crates", "domain", "data", "gwb-2024.csv"))
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)

    codes = buurten(args.classification)
    rng = random.Random(args.seed)
    # Children per buurt: log-normal, median about 120, from a handful to several thousand.
    children = [max(1, int(rng.lognormvariate(4.8, 1.1))) for _ in codes]
    # Each indicator: the share of children it is about, and the share of those it counts.
    shares = [(rng.uniform(0.1, 0.6), rng.uniform(0.02, 0.5)) for _ in range(INDICATORS)]

    with open(os.path.join(args.out, "indicators.csv"), "w", encoding="utf-8") as f:
        f.write("code,kind\n")
        for i in range(INDICATORS):
            f.write(f"B{i + 1:02},{'verhouding' if i < RATIOS else 'aantal'}\n")

    subset = open(os.path.join(args.out, "subset-1m.csv"), "w", encoding="utf-8")
    subset.write("indicator,gebied,periode,teller,noemer\n")
    written = 0
    total = 0
    for i in range(INDICATORS):
        code = f"B{i + 1:02}"
        group, rate = shares[i]
        lines = []
        for y, year in enumerate(YEARS):
            drift = 1.0 + 0.01 * (y - 10)
            for area, n in zip(codes, children):
                base = n * group * drift
                if i < RATIOS:
                    denominator = max(1, int(base * rng.uniform(0.9, 1.1)))
                    numerator = min(denominator, int(denominator * rate * rng.uniform(0.7, 1.3)))
                    lines.append(f"{code},{area},{year},{numerator},{denominator}\n")
                else:
                    lines.append(f"{code},{area},{year},{int(base * rate * rng.uniform(0.5, 1.5))},\n")
        with open(os.path.join(args.out, f"national-{i + 1:02}.csv"), "w", encoding="utf-8") as f:
            f.write("indicator,gebied,periode,teller,noemer\n")
            f.writelines(lines)
        if written < SUBSET:
            take = lines[: SUBSET - written]
            subset.writelines(take)
            written += len(take)
        total += len(lines)
        print(f"\r{code}: {total:,} rows", end="", file=sys.stderr, flush=True)
    subset.close()
    print(f"\n{total:,} rows in {INDICATORS} files, {written:,} in subset-1m.csv, in {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
