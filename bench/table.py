#!/usr/bin/env python3
"""bench/run.sh's table: medians of the interleaved rounds, the issue-13 goals against their anchors, then
every scenario's figures per contender (CPU per unit first).

  bench/table.py ROUNDS_TSV RESULTS_TSV NOTES    (ROUNDS_TSV lines: scenario, contender, round, key, value)
Writes the medians to RESULTS_TSV and prints Markdown.
"""
import statistics
import sys

rounds_tsv, results_tsv, notes_path = sys.argv[1:4]

# (scenario, contender, key) -> values in round order; keys keep the order the script wrote them in
values, keys, who_order = {}, {}, {}
for line in open(rounds_tsv):
    s, who, _round, key, value = line.rstrip("\n").split("\t")
    if value == "":
        continue
    values.setdefault((s, who, key), []).append(float(value))
    keys.setdefault(s, [])
    if key not in keys[s]:
        keys[s].append(key)
    who_order.setdefault(s, [])
    if who not in who_order[s]:
        who_order[s].append(who)


def fmt(v):
    """Three significant figures, without an exponent for large values."""
    return f"{v:.0f}" if abs(v) >= 1000 else f"{v:.3g}"


def median(s, who, key):
    v = values.get((s, who, key))
    return statistics.median(v) if v else None


with open(results_tsv, "w") as out:
    for (s, who, key), v in values.items():
        out.write(f"{s}\t{who}\t{key}\t{statistics.median(v):g}\t{min(v):g}\t{max(v):g}\t{len(v)}\n")

# area, figure, scenario, key, unit, sockit's contender name, anchor (None: an absolute goal), factor, comparison
GOALS = [
    ("grumpy", "server CPU per exchange, 50 clients", "1", "cpu_us", "us", "sockit", "cref", 1.2, "<="),
    ("grumpy", "bytes allocated per exchange, no logging", "8", "bytes", "B", "sockit-grumpy", None, 64, "<="),
    ("echo", "messages/s, 100 connections, 64 B", "4", "rate", "msg/s", "sockit", "cref", 1.0, ">="),
    ("echo", "server CPU per message, 100 connections", "4", "cpu_us", "us", "sockit", "cref", 1.2, "<="),
    ("echo", "64 B round trip p50, 1 connection", "3", "p50_us", "us", "sockit", "cref", 1.0, "<="),
    ("echo", "64 B round trip p99, 1 connection", "3", "p99_us", "us", "sockit", "cref", 1.5, "<="),
    ("echo", "server CPU per message, 1 connection", "3", "cpu_us", "us", "sockit", "cref", None, None),
    ("bulk", "receiver CPU per GiB into a pipe", "2", "cpu_ms_per_gib", "ms", "sockit", "nc", 0.5, "<="),
    ("bulk", "receive throughput into /dev/null", "2n", "mib_s", "MiB/s", "sockit", "iperf3", 0.85, ">="),
    ("bulk", "receiver CPU per GiB into /dev/null", "2n", "cpu_ms_per_gib", "ms", "sockit", "nc", None, None),
    ("relay", "forwarder CPU per GiB", "7", "cpu_ms_per_gib", "ms", "sockit", "haproxy", 0.5, "<="),
    ("relay", "forwarder throughput", "7", "mib_s", "MiB/s", "sockit", "haproxy", 1.0, ">="),
    ("idle", "RSS per idle connection, 10k", "5", "kib", "KiB", "sockit", None, 1.0, "<="),
    ("startup", "`sockit connect` one-shot median wall time", "6", "median_ms", "ms", "sockit", "nc", 1.5, "<="),
]
# the anchor shown beside an absolute goal
SHOWN = {("5", "kib"): "cref"}

print("| area | figure | unit | sockit | anchor (same run) | ratio | goal | met |")
print("|---|---|---|---|---|---|---|---|")
for area, figure, s, key, unit, me, anchor, factor, cmp in GOALS:
    mine = median(s, me, key)
    shown = anchor or SHOWN.get((s, key))
    theirs = median(s, shown, key) if shown else None
    ratio = f"{mine / theirs:.2f}x" if mine is not None and theirs else ""
    anchor_text = f"{shown} {fmt(theirs)}" if theirs is not None else (f"{shown}: not measured" if shown else "-")
    if factor is None:
        goal, met = "(reported)", "-"
    else:
        goal = f"{cmp} {factor:g}" + (f"x {anchor}" if anchor else f" {unit}")
        if mine is None or (anchor and theirs is None):
            met = "not measured"
        else:
            bound = factor * theirs if anchor else factor
            met = "met" if (mine <= bound if cmp == "<=" else mine >= bound) else "no"
    mine_text = fmt(mine) if mine is not None else "not measured"
    print(f"| {area} | {figure} | {unit} | {mine_text} | {anchor_text} | {ratio} | {goal} | {met} |")

TITLES = {
    "1": "1: grumpy, 50 concurrent clients",
    "2": "2: bulk receive into a pipe (one stream)",
    "2n": "2n: bulk receive into /dev/null (one stream; iperf3 -s with its own client)",
    "2s": "2s: bulk send from a pipe (one stream, into refserver sink)",
    "3": "3: echo 64 B ping-pong, 1 connection",
    "4": "4: echo 64 B ping-pong, 100 connections",
    "5": "5: 10k idle connections, server RSS growth per connection",
    "6": "6: one-shot start-up against cref grumpy (hyperfine)",
    "7": "7: relay, one stream through a TCP forwarder into refserver sink",
    "8": "8: server bytes allocated (alloc probe, no log sink)",
}
for s in sorted(keys, key=lambda k: (len(k) > 1, k)):
    print(f"\n**{TITLES.get(s, s)}**\n")
    ks = keys[s]
    print("| contender | " + " | ".join(f"{k} (median, min-max)" if i == 0 else k for i, k in enumerate(ks)) + " |")
    print("|---" * (len(ks) + 1) + "|")
    for who in who_order[s]:
        cells = []
        for i, k in enumerate(ks):
            v = values.get((s, who, k))
            if not v:
                cells.append("")
            elif i == 0 and len(v) > 1:
                cells.append(f"{fmt(statistics.median(v))} ({fmt(min(v))}-{fmt(max(v))})")
            else:
                cells.append(fmt(statistics.median(v)))
        print(f"| {who} | " + " | ".join(cells) + " |")

notes = [n.strip() for n in open(notes_path) if n.strip()]
if notes:
    print("\nNotes:\n")
    for n in dict.fromkeys(notes):
        print(f"- {n}")
