#!/usr/bin/env python3
"""What held the GUI thread in each stall that stall-bench.sh --perf caught (issue 17, target 3).

    tests/bench/stall-stacks.py DIR [--top 25] [--frequency 2000]

DIR holds bench.stderr (its "perf dump: stall N ms at T s after ..." lines, in order) and the perf.data.<time> files
`perf record --overwrite --switch-output=signal` wrote at each of them: the GUI thread's last events before the dump,
its stacks on the CPU (cpu-clock, `frequency` a second) and each time it left the CPU (sched_switch). For each stall,
in its last N ms:
- the functions on the CPU, each once a stack (inclusive), with the milliseconds they account for;
- each time the thread left the CPU for over 2 ms: how long, why (S: asleep, a lock or a wait; D: the disk; R: taken
  off for another thread) and where it was (a malloc arena lock shows as __lll_lock_wait_private under malloc/free).
"""
import collections
import pathlib
import re
import subprocess
import sys

KERNEL_TOP = ("entry_SYSCALL_64_after_hwframe", "asm_sysvec_apic_timer_interrupt", "asm_sysvec_reschedule_ipi",
              "asm_exc_page_fault")


def events(path):
    """(time in ms, event name, trace text, [function names, innermost first]) for each event in a perf.data file."""
    out = subprocess.run(["perf", "script", "-i", str(path), "-F", "time,event,trace,ip,sym"], capture_output=True,
                         text=True, check=False).stdout
    result = []
    for block in out.split("\n\n"):
        lines = [line for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        head = re.match(r"^\s*(\d+\.\d+):\s+(\S+):\s*(.*)$", lines[0])
        if not head:
            continue
        stack = [(line.split(None, 1) + [""])[1] or line.strip() for line in lines[1:]]
        result.append((float(head.group(1)) * 1000.0, head.group(2), head.group(3), stack))
    return result


def user_frames(stack, count=12):
    """The frames above the kernel's entry (the syscall, the interrupt), innermost first."""
    for i, frame in enumerate(stack):
        if frame in KERNEL_TOP:
            return stack[i + 1:i + 1 + count]
    return stack[:count]


def report(stall, dump, top, sample_ms):
    late = int(re.search(r"stall (\d+) ms", stall).group(1))
    got = events(dump)
    print(f"\n{stall}")
    if not got:
        print(f"  {dump.name}: no events")
        return
    end = got[-1][0]
    window = [e for e in got if e[0] >= end - late]
    on_cpu = [stack for _, name, _, stack in window if name.startswith("cpu-clock")]
    print(f"  {dump.name}: {len(on_cpu)} samples on the CPU in its last {late} ms ({len(on_cpu) * sample_ms:.0f} ms)")
    inclusive = collections.Counter()
    for stack in on_cpu:
        inclusive.update(set(stack))
    for name, n in inclusive.most_common(top):
        print(f"  {n * sample_ms:7.1f} ms  {name[:150]}")
    # Off the CPU: from a switch-out to the thread's next event.
    for i, (t, name, trace, stack) in enumerate(window):
        if not name.startswith("sched:sched_switch") or i + 1 >= len(window):
            continue
        off = window[i + 1][0] - t
        if off < 2:
            continue
        state = re.search(r"prev_state=(\S+)", trace)
        print(f"  off the CPU {off:.1f} ms, state {state.group(1) if state else '?'}, in:")
        for frame in user_frames(stack):
            print(f"      {frame[:140]}")


def main():
    args = sys.argv[1:]
    if not args or args[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if args else 2
    top = int(args[args.index("--top") + 1]) if "--top" in args else 25
    frequency = int(args[args.index("--frequency") + 1]) if "--frequency" in args else 2000
    folder = pathlib.Path(args[0])
    stalls = [line.strip() for line in (folder / "bench.stderr").read_text(errors="replace").splitlines()
              if line.startswith("perf dump: ")]
    dumps = sorted(p for p in folder.glob("perf.data.*") if re.match(r"perf\.data\.\d+$", p.name))
    if len(dumps) < len(stalls):
        print(f"stall-stacks: {len(stalls)} dumps asked for, {len(dumps)} written; matched in order", file=sys.stderr)
    for stall, dump in zip(stalls, dumps):
        report(stall, dump, top, 1000.0 / frequency)
    return 0


if __name__ == "__main__":
    sys.exit(main())
