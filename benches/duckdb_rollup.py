#!/usr/bin/env python3
"""The peer for the roll-up benchmark: the same two sums over the same national set in DuckDB.

Loads every national-NN.csv from the data folder into an in-memory DuckDB table shaped like
Reisgenoot's measurements (indicator id, area, period, numerator, denominator, status, all
approved), then times the queries that store::rollup runs:

  trend  one area's sums per period and level (its own code, its wijken's and buurten's codes)
  areas  every gemeente's sums per level for one period

Usage: duckdb_rollup.py DATA_DIR INDICATOR GEBIED PERIODE [RUNS]
Prints lines in the same form as the Rust benchmark: `trend median_ms=… min_ms=… mean_ms=… rows=…`.
"""

import os
import statistics
import sys
import time

import duckdb


def timed(con, sql, params, runs):
    con.execute(sql, params).fetchall()  # warm-up
    times = []
    rows = 0
    for _ in range(runs):
        start = time.perf_counter()
        rows = len(con.execute(sql, params).fetchall())
        times.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(times), min(times), statistics.fmean(times), rows


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    data, indicator, area, period = sys.argv[1:5]
    runs = int(sys.argv[5]) if len(sys.argv) > 5 else 50
    con = duckdb.connect()
    start = time.perf_counter()
    con.execute(
        """CREATE TABLE measurements AS
           SELECT CAST(substr(indicator, 2) AS BIGINT) AS indicator_id, gebied AS area, CAST(periode AS VARCHAR) AS period,
                  CAST(teller AS DOUBLE) AS numerator, CAST(noemer AS DOUBLE) AS denominator, 'goedgekeurd' AS status
           FROM read_csv(?, header = true, columns = {'indicator': 'VARCHAR', 'gebied': 'VARCHAR', 'periode': 'VARCHAR',
                                                      'teller': 'DOUBLE', 'noemer': 'DOUBLE'})""",
        [os.path.join(data, "national-*.csv")],
    )
    count = con.execute("SELECT COUNT(*) FROM measurements").fetchone()[0]
    print(f"load rows={count} seconds={time.perf_counter() - start:.1f}", file=sys.stderr)
    number = area[2:]
    below = {"GM": ["WK", "BU"], "WK": ["BU"]}.get(area[:2], [])
    ranges = [(area, area)] + [(f"{p}{number}", f"{p}{number}ZZZZ") for p in below]
    within = " OR ".join("area BETWEEN ? AND ?" for _ in ranges)
    trend = (
        "SELECT period, substr(area, 1, 2), SUM(numerator), SUM(denominator) FROM measurements "
        f"WHERE indicator_id = ? AND status = 'goedgekeurd' AND ({within}) GROUP BY period, substr(area, 1, 2)"
    )
    params = [int(indicator[1:])] + [bound for pair in ranges for bound in pair]
    median, fastest, mean, rows = timed(con, trend, params, runs)
    print(f"trend median_ms={median:.3f} min_ms={fastest:.3f} mean_ms={mean:.3f} rows={rows}")
    areas = (
        "SELECT substr(area, 3, 4), substr(area, 1, 2), SUM(numerator), SUM(denominator) FROM measurements "
        "WHERE indicator_id = ? AND period = ? AND status = 'goedgekeurd' GROUP BY substr(area, 3, 4), substr(area, 1, 2)"
    )
    median, fastest, mean, rows = timed(con, areas, [int(indicator[1:]), period], runs)
    print(f"areas median_ms={median:.3f} min_ms={fastest:.3f} mean_ms={mean:.3f} rows={rows}")


if __name__ == "__main__":
    main()
