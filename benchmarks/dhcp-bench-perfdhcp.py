#!/usr/bin/python3
"""Reads the output of one perfdhcp -4 run made with -x t, for dhcp-bench.sh.

  dhcp-bench-perfdhcp.py FILE

prints one line of space-separated figures:

  do_sent do_rcvd ra_sent ra_rcvd orphans rejected p50_do p99_do max_do p50_ra p99_ra max_ra

do = DISCOVER-OFFER, ra = REQUEST-ACK; delays in milliseconds, "-" when nothing came back. The
percentiles come from the per-exchange timestamps that -x t prints ("sent / received: S / R"),
because perfdhcp itself only reports min, average and max. A counter perfdhcp did not print is 0.
"""
import math
import re
import sys

SECTION = re.compile(r"^\*\*\*(Statistics|Timestamps) for(?: packets)?: (DISCOVER-OFFER|REQUEST-ACK)\*\*\*$")
COUNTER = re.compile(r"^(sent packets|received packets|orphans|rejected leases): (\d+)$")
STAMP = re.compile(r"^sent / received: ([0-9.]+) / ([0-9.]+)$")


def percentile(ordered, fraction):
    """Nearest-rank percentile of an ascending list."""
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def milliseconds(value):
    return "-" if value is None else f"{value * 1000:.2f}"


def main(path):
    counters = {"DISCOVER-OFFER": {}, "REQUEST-ACK": {}}
    delays = {"DISCOVER-OFFER": [], "REQUEST-ACK": []}
    kind = section = None
    with open(path, errors="replace") as output:
        for line in output:
            line = line.strip()
            header = SECTION.match(line)
            if header:
                kind, section = header.group(1), header.group(2)
                continue
            if line.startswith("***"):
                kind = section = None
                continue
            if section is None:
                continue
            if kind == "Statistics":
                counter = COUNTER.match(line)
                if counter:
                    counters[section][counter.group(1)] = int(counter.group(2))
            else:
                stamp = STAMP.match(line)
                if stamp:
                    delays[section].append(float(stamp.group(2)) - float(stamp.group(1)))

    figures = []
    for section in ("DISCOVER-OFFER", "REQUEST-ACK"):
        figures.append(counters[section].get("sent packets", 0))
        figures.append(counters[section].get("received packets", 0))
    figures.append(sum(c.get("orphans", 0) for c in counters.values()))
    figures.append(sum(c.get("rejected leases", 0) for c in counters.values()))
    for section in ("DISCOVER-OFFER", "REQUEST-ACK"):
        ordered = sorted(delays[section])
        if ordered:
            figures += [milliseconds(percentile(ordered, 0.50)), milliseconds(percentile(ordered, 0.99)),
                        milliseconds(ordered[-1])]
        else:
            figures += ["-", "-", "-"]
    print(" ".join(str(f) for f in figures))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
