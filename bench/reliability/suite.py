#!/usr/bin/env python3
"""The reliability suite of issue 8: each scenario in its own child process, bounded in time, its figures
for sockit and for the peers measured in the same run, and one Markdown table.

  suite.py [--quick] [--only a,b] [--sockit PATH]

--quick is the CI size (smaller counts); without it every scenario runs at the issue's full size.
Exit status 1 when a goal is not met, except for the rows named in KNOWN_FAILING (defects of issue 8 being
fixed elsewhere): those are reported as such and do not fail the run."""
import argparse
import importlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from rel import netns, result  # noqa: E402

# Run order: cheap and independent first, the heavy ones last.
SCENARIOS = [
    "halfclose", "reset_steps", "signals", "udp_sizes", "max_conns", "fd_exhaustion",
    "udp_flood", "slow_reader", "slowloris", "idle", "lossy",
]
# "scenario:row key" -> the issue-8 defect that makes it fail today. Remove the entry when the fix is merged
# (the runner says so when a listed row starts to pass).
# Fixed and flipped so far: max_conns:keep-open (keep-open leak), slow_reader:broadcast (slow-reader broadcast).
KNOWN_FAILING: dict[str, str] = {
    "fd_exhaustion:grumpy": "issue 8, descriptor-exhaustion recovery: the first fresh client's connect still takes"
                            " 1 s (--trace shows only listen(fd, 5): the queue is not widened in this case)",
}
LIMIT_SECONDS = 120  # each scenario, the bound


def child(name: str, quick: bool, sockit: str, work: str) -> None:
    module_name, _, variant = name.partition(":")
    module = importlib.import_module(f"scenarios.{module_name}")
    ctx = argparse.Namespace(quick=quick, sockit=sockit, work=work, name=name, variant=variant)
    for row in module.run(ctx):
        print("ROW " + json.dumps(row.to_json()), flush=True)


def variants(name: str) -> tuple:
    """The scenario's VARIANTS; none if it does not even import (its child then reports why)."""
    try:
        return getattr(importlib.import_module(f"scenarios.{name}"), "VARIANTS", ())
    except Exception:  # noqa: BLE001
        return ()


def run_one(name: str, args, work: str) -> tuple[list[dict], str | None, float]:
    """Runs scenario NAME in a child; returns its rows, an error text if it broke, and its duration."""
    cmd = [sys.executable, os.path.abspath(__file__), "--child", name, "--sockit", args.sockit, "--work", work]
    if args.quick:
        cmd.append("--quick")
    started = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=LIMIT_SECONDS)
        error = None if proc.returncode == 0 else f"exit {proc.returncode}: {err.strip()[-1500:]}"
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        error = f"not finished within {LIMIT_SECONDS} s (killed)"
    netns.delete_leftovers(proc.pid)
    rows = [json.loads(line[4:]) for line in out.splitlines() if line.startswith("ROW ")]
    return rows, error, time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", default="")
    parser.add_argument("--sockit", default=os.environ.get("SOCKIT_BIN") or os.path.join(
        HERE, "..", "..", "src", "Sockit.Cli", "bin", "Release", "net10.0", "sockit"))
    parser.add_argument("--child")
    parser.add_argument("--work")
    parser.add_argument("--table", help="also write the Markdown table to this file")
    args = parser.parse_args()
    args.sockit = os.path.abspath(args.sockit)
    if args.child:
        child(args.child, args.quick, args.sockit, args.work)
        return 0

    names = [n for n in args.only.split(",") if n] or SCENARIOS
    unknown = [n for n in names if n.partition(":")[0] not in SCENARIOS]
    if unknown:
        print(f"[Usage]: unknown scenario {', '.join(unknown)}; known: {', '.join(SCENARIOS)}", file=sys.stderr)
        return 1
    if not os.access(args.sockit, os.X_OK):
        print(f"[Reliability error]: no sockit at {args.sockit} (dotnet build src/Sockit.Cli -c Release)", file=sys.stderr)
        return 1
    mode = "quick" if args.quick else "full"
    print(f"reliability: {mode} run of {len(names)} scenarios with {args.sockit}", flush=True)
    lines, failed, known, met = [], 0, 0, 0
    # A module with VARIANTS runs each in its own child, each within the time bound ("idle:relay").
    names = [f"{n}:{v}" if v else n for n in names for v in ([] if ":" in n else variants(n)) or [""]]
    for name in names:
        work = tempfile.mkdtemp(prefix=f"sockit-rel-{name.replace(':', '-')}.")
        try:
            rows, error, secs = run_one(name, args, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        if error:
            failed += 1
            print(f"reliability: {name}: BROKEN ({error})", flush=True)
            lines.append(f"| {name} | scenario broke: {error.splitlines()[-1][:200]} | | | | | | **no** |")
        for row in rows:
            key = f"{name.partition(':')[0]}:{row['key']}"
            reason = KNOWN_FAILING.get(key)
            status = "met" if row["met"] else ("KNOWN-FAILING: " + reason if reason else "NOT MET")
            if row["met"]:
                met += 1
                if reason:
                    print(f"reliability: {key} now meets its goal: remove it from KNOWN_FAILING")
            elif reason:
                known += 1
            else:
                failed += 1
            print(f"reliability: {key}: {row['figure']}: sockit {row['sockit']} "
                  f"{' '.join(f'{p} {v}' for p, v in row['peers'].items())} (goal {row['goal']}): {status}", flush=True)
            lines.append(result.markdown(row, None if row["met"] else reason))
        print(f"reliability: {name}: {secs:.1f} s", flush=True)
    table = result.header() + "\n" + "\n".join(lines) + "\n"
    print("\n" + table)
    if args.table:
        with open(args.table, "w") as f:
            f.write(table)
    print(f"Reliability: {met} met, {failed} not met, {known} known-failing (issue 8, fixed elsewhere)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
