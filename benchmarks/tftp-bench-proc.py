#!/usr/bin/python3
"""Process-tree helper for tftp-bench.sh (reads /proc only, never signals anything).

  tftp-bench-proc.py pids ROOT...                  ROOT PIDs and all their descendants, one a line
  tftp-bench-proc.py mem ROOT...                   summed memory in KiB of ROOTs and descendants
  tftp-bench-proc.py peak STOPFILE MAXSEC ROOT...  sample that sum every 100 ms until STOPFILE
                                                   exists (or MAXSEC passed); print the peak KiB
  tftp-bench-proc.py cpu STOPFILE MAXSEC ROOT...   cpu seconds ROOTs and descendants use until
                                                   STOPFILE exists (or MAXSEC passed)

Memory is the proportional set size (Pss in /proc/PID/smaps_rollup): each resident page counted
once, split among the mappings that share it. VmRSS counts a page once per mapping instead, which
overstates both servers that share pages: tftpd-hpa's forked children all map the parent's pages,
and ZGC maps every heap page at three virtual addresses (its colored views), so once collections
have used each view a JVM's VmRSS shows a heap page up to three times.

Descendants are looked up again at every sample because a forking server (tftpd-hpa) starts a
process per transfer. Its cpu is sampled every 50 ms for the same reason: tftpd-hpa ignores
SIGCHLD, so the kernel reaps its children without adding their cpu to the parent's; what a child
used in its last 50 ms is missed.
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


def pss_kib(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0  # exited, or a zombie / kernel thread without mappings


def tree_mem(roots):
    return sum(pss_kib(p) for p in tree(roots))


def cpu_ticks(pid):
    """(start time, cpu ticks used so far, threads and reaped children included), or None."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    # After the command: state is field 3, utime..cstime are 14-17, starttime 22.
    return int(fields[19]), sum(int(v) for v in fields[11:15])


def tree_cpu_seconds(stopfile, maxsec, roots):
    deadline = time.monotonic() + maxsec
    first, last = {}, {}  # (pid, start time) -> ticks; a process born meanwhile starts from 0
    started = False
    while True:
        for pid in tree(roots):
            ticks = cpu_ticks(pid)
            if ticks is not None:
                key = (pid, ticks[0])
                first.setdefault(key, 0 if started else ticks[1])
                last[key] = ticks[1]
        started = True
        if os.path.exists(stopfile) or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    return sum(last[k] - first[k] for k in last) / os.sysconf("SC_CLK_TCK")


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    cmd = argv[1]
    if cmd == "pids":
        for pid in tree([int(a) for a in argv[2:]]):
            print(pid)
    elif cmd == "mem":
        print(tree_mem([int(a) for a in argv[2:]]))
    elif cmd == "peak":
        stopfile, maxsec = argv[2], float(argv[3])
        roots = [int(a) for a in argv[4:]]
        deadline = time.monotonic() + maxsec
        peak = 0
        while True:
            peak = max(peak, tree_mem(roots))
            if os.path.exists(stopfile) or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        print(peak)
    elif cmd == "cpu":
        print(f"{tree_cpu_seconds(argv[2], float(argv[3]), [int(a) for a in argv[4:]]):.2f}")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
