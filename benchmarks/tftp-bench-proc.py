#!/usr/bin/python3
"""Process-tree helper for tftp-bench.sh (reads /proc only, never signals anything).

  tftp-bench-proc.py pids ROOT...                  ROOT PIDs and all their descendants, one a line
  tftp-bench-proc.py rss ROOT...                   summed VmRSS in KiB of ROOTs and descendants
  tftp-bench-proc.py peak STOPFILE MAXSEC ROOT...  sample that sum every 100 ms until STOPFILE
                                                   exists (or MAXSEC passed); print the peak KiB

Descendants are looked up again at every sample because a forking server (tftpd-hpa) starts a
process per transfer.
"""
import os
import sys
import time


def children_map():
    kids = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                stat = f.read()
        except OSError:
            continue  # exited while we looked
        # The command name in field 2 may contain spaces or parentheses; fields after the last
        # ')' are well defined: state, ppid, ...
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        kids.setdefault(ppid, []).append(int(name))
    return kids


def tree(roots):
    kids = children_map()
    seen, todo = [], [r for r in roots if os.path.exists(f"/proc/{r}")]
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.append(pid)
        todo.extend(kids.get(pid, []))
    return seen


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0  # exited, or a zombie / kernel thread without VmRSS


def tree_rss(roots):
    return sum(rss_kib(p) for p in tree(roots))


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    cmd = argv[1]
    if cmd == "pids":
        for pid in tree([int(a) for a in argv[2:]]):
            print(pid)
    elif cmd == "rss":
        print(tree_rss([int(a) for a in argv[2:]]))
    elif cmd == "peak":
        stopfile, maxsec = argv[2], float(argv[3])
        roots = [int(a) for a in argv[4:]]
        deadline = time.monotonic() + maxsec
        peak = 0
        while True:
            peak = max(peak, tree_rss(roots))
            if os.path.exists(stopfile) or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        print(peak)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
