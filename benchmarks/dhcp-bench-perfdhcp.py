#!/usr/bin/python3
"""Reads the output of one perfdhcp -4 run made with -x t, for dhcp-bench.sh.

  dhcp-bench-perfdhcp.py FILE

prints one line of space-separated figures:

  do_sent do_rcvd ra_sent ra_rcvd orphans rejected avg_do max_do avg_ra max_ra p99_do p99_ra p50_do p50_ra

do = DISCOVER-OFFER, ra = REQUEST-ACK; delays in milliseconds, "-" when nothing came back. Average
and maximum are perfdhcp's own; the percentiles come from the per-exchange timestamps that -x t
prints ("sent / received: S / R"), "-" for a run without them. A counter perfdhcp did not print is 0.
"""
import math
import re
import sys

SECTION = re.compile(r"^\*\*\*(Statistics|Timestamps) for(?: packets)?: (DISCOVER-OFFER|REQUEST-ACK)\*\*\*$")
COUNTER = re.compile(r"^(sent packets|received packets|orphans|rejected leases): (\d+)$")
DELAY = re.compile(r"^(avg delay|max delay): ([0-9.]+) ms$")
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
                delay = DELAY.match(line)
                if delay:
                    counters[section][delay.group(1)] = f"{float(delay.group(2)):.2f}"
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
        received = counters[section].get("received packets", 0) > 0
        figures += [counters[section].get(key, "-") if received else "-" for key in ("avg delay", "max delay")]
    for fraction in (0.99, 0.5):
        for section in ("DISCOVER-OFFER", "REQUEST-ACK"):
            ordered = sorted(delays[section])
            figures.append(milliseconds(percentile(ordered, fraction)) if ordered else "-")
    print(" ".join(str(f) for f in figures))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
