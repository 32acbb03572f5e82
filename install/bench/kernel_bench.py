"""The `kernel` suite of install/bench.sh: drives an installed Ferry kernelspec over the Jupyter wire
protocol and prints a table against the raw-JShell floor measured by JShellFloor.java.

Run with Debian's /usr/bin/python3 (it has jupyter_client and pyzmq); bench.sh does this for you:

    /usr/bin/python3 install/bench/kernel_bench.py --kernel NAME --floor FLOOR.txt [--starts 5]
        [--warmup 20] [--iters 100] [--json OUT.json] [--measure-only FILE | --report-only FILE]

The client talks to the kernel with plain pyzmq sockets and jupyter_client's Session (signing only),
not with jupyter_client's channel classes, so that client overhead in the numbers stays small
(the kernel_info row shows what the wire itself costs).
"""
import argparse
import json
import math
import os
import statistics
import sys
import time

import zmq
from jupyter_client.manager import KernelManager

TARGET_START_MS = 500.0
TARGET_FIRST_CELL_MS = 150.0
TARGET_P50_OVER_FLOOR_MS = 2.0


def pct(values, p):
    """Nearest-rank percentile (the same rule as JShellFloor.java)."""
    s = sorted(values)
    rank = math.ceil(p / 100.0 * len(s))
    return s[max(0, min(len(s) - 1, rank - 1))]


class Client:
    """Shell, control and iopub sockets on one running kernel."""

    def __init__(self, km, ctx):
        self.km = km
        self.session = km.session
        info = km.get_connection_info()
        base = "%s://%s" % (info["transport"], info["ip"])
        sep = "-" if info["transport"] == "ipc" else ":"
        self.shell = ctx.socket(zmq.DEALER)
        self.shell.linger = 0
        self.shell.connect("%s%s%d" % (base, sep, info["shell_port"]))
        self.iopub = ctx.socket(zmq.SUB)
        self.iopub.linger = 0
        self.iopub.setsockopt(zmq.SUBSCRIBE, b"")
        self.iopub.connect("%s%s%d" % (base, sep, info["iopub_port"]))

    def recv(self, sock, timeout_s):
        if not sock.poll(int(timeout_s * 1000)):
            raise TimeoutError("no message from the kernel within %.0f s" % timeout_s)
        idents, msg = self.session.feed_identities(sock.recv_multipart(copy=True))
        return self.session.deserialize(msg)

    def request(self, msg_type, content, timeout_s=120):
        """Sends on shell; returns (reply, ms from send to the reply's arrival)."""
        t0 = time.perf_counter()
        msg = self.session.send(self.shell, msg_type, content)
        msg_id = msg["header"]["msg_id"]
        while True:
            reply = self.recv(self.shell, timeout_s)
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply, (time.perf_counter() - t0) * 1000.0, msg_id

    def execute(self, code, timeout_s=120):
        reply, ms, msg_id = self.request("execute_request", {
            "code": code, "silent": False, "store_history": True, "user_expressions": {},
            "allow_stdin": False, "stop_on_error": True}, timeout_s)
        if reply["content"].get("status") != "ok":
            raise RuntimeError("cell %r failed: %s" % (code, reply["content"]))
        self.wait_idle(msg_id, timeout_s)
        return ms

    def kernel_info(self, timeout_s=120):
        reply, ms, msg_id = self.request("kernel_info_request", {}, timeout_s)
        self.wait_idle(msg_id, timeout_s)
        return ms

    def wait_idle(self, msg_id, timeout_s):
        """Drains iopub up to the idle status of msg_id (untimed: a notebook waits for it too)."""
        while True:
            m = self.recv(self.iopub, timeout_s)
            if (m["header"]["msg_type"] == "status" and m["content"].get("execution_state") == "idle"
                    and m["parent_header"].get("msg_id") == msg_id):
                return

    def close(self):
        self.shell.close(0)
        self.iopub.close(0)


CLK_TCK = os.sysconf("SC_CLK_TCK")


def children(pid):
    kids = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open("/proc/%s/stat" % d) as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid:
                    kids.append(int(d))
            except (OSError, IndexError, ValueError):
                pass
    return kids


def cpu_ms(pid):
    """User + system CPU time of a process so far, in ms (0 when it is gone)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000.0 / CLK_TCK
    except (OSError, IndexError, ValueError):
        return 0.0


# the cold rows measure a kernel that starts its own worker; the spare rows set FERRY_SPARE_IDLE themselves
NO_SPARES = dict(os.environ, FERRY_SPARE_IDLE="0")
WITH_SPARES = dict(os.environ, FERRY_SPARE_IDLE="300")


def start(kernel_name, ctx, env=None):
    """Starts a kernel; returns (km, client, ms from start_kernel to the first kernel_info_reply)."""
    km = KernelManager(kernel_name=kernel_name)
    t0 = time.perf_counter()
    km.start_kernel(env=env or NO_SPARES)
    c = Client(km, ctx)
    # the iopub subscription must be in place before any idle we wait for is published, so the first
    # kernel_info is timed on shell only and its iopub traffic is left behind
    t_msg = c.session.send(c.shell, "kernel_info_request", {})
    while True:
        reply = c.recv(c.shell, 60)
        if reply["parent_header"].get("msg_id") == t_msg["header"]["msg_id"]:
            break
    return km, c, (time.perf_counter() - t0) * 1000.0


def stop(km, c):
    c.close()
    try:
        km.shutdown_kernel(now=False)
    except Exception as e:  # a benchmark goes on
        print("kernel_bench: shutdown failed: %s" % e, file=sys.stderr)
        km.shutdown_kernel(now=True)
    km.cleanup_resources() if hasattr(km, "cleanup_resources") else None


def spares_ready():
    """{pid: dir} of the warm spare workers waiting in this run's FERRY_DATA_DIR."""
    root = os.path.join(os.environ.get("FERRY_DATA_DIR", ""), "spares")
    out = {}
    for n in (os.listdir(root) if os.path.isdir(root) else []):
        d = os.path.join(root, n)
        if os.path.exists(os.path.join(d, "ready")):
            try:
                with open(os.path.join(d, "pid")) as f:
                    out[int(f.read())] = d
            except (OSError, ValueError):
                pass
    return out


def wait_spare(timeout_s=120):
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        r = spares_ready()
        if r:
            return next(iter(r))
        time.sleep(0.05)
    raise RuntimeError("no warm spare worker appeared within %.0f s" % timeout_s)


def rss_mib(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return float("nan")


def spare_cells(kernel_name, ctx, n, idle_s):
    """n kernels, each served by the spare the one before left (a donor leaves the first); then the idle
    cost of the last spare: RSS and CPU over idle_s seconds."""
    km, c, _ = start(kernel_name, ctx, WITH_SPARES)  # the donor
    c.execute("1+1")
    wait_spare()
    stop(km, c)
    starts, cells, served = [], [], 0
    for _ in range(n):
        spare = wait_spare()
        km, c, start_ms = start(kernel_name, ctx, WITH_SPARES)
        try:
            t0 = time.perf_counter()
            msg = c.session.send(c.shell, "execute_request", {
                "code": "1+1", "silent": False, "store_history": True, "user_expressions": {},
                "allow_stdin": False, "stop_on_error": True})
            while True:
                reply = c.recv(c.shell, 120)
                if reply["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
                    break
            cells.append((time.perf_counter() - t0) * 1000.0)
            starts.append(start_ms)
            if reply["content"].get("status") != "ok":
                raise RuntimeError("first cell failed: %s" % reply["content"])
            served += spare not in spares_ready()  # claimed: off the shelf
            wait_spare()  # the one this kernel leaves (once idle 2 s) for the next
        finally:
            stop(km, c)
        time.sleep(0.3)
    spare = wait_spare()
    time.sleep(2)  # its completion warm-up and first GC settle
    rss0, cpu0 = rss_mib(spare), cpu_ms(spare)
    time.sleep(idle_s)
    rss1, cpu1 = rss_mib(spare), cpu_ms(spare)
    os.kill(spare, 9)
    return {"starts": starts, "cells": cells, "served": served, "idle_s": idle_s, "rss_mib": [rss0, rss1],
            "idle_cpu_ms_per_min": (cpu1 - cpu0) * 60.0 / idle_s}


def first_cell(kernel_name, ctx, wait_s):
    km, c, start_ms = start(kernel_name, ctx)
    try:
        if wait_s:
            time.sleep(wait_s)
        # a fresh SUB socket may miss the first iopub messages (slow joiner): time the reply only
        t0 = time.perf_counter()
        msg = c.session.send(c.shell, "execute_request", {
            "code": "1+1", "silent": False, "store_history": True, "user_expressions": {},
            "allow_stdin": False, "stop_on_error": True})
        while True:
            reply = c.recv(c.shell, 120)
            if reply["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
                break
        cell_ms = (time.perf_counter() - t0) * 1000.0
        if reply["content"].get("status") != "ok":
            raise RuntimeError("first cell failed: %s" % reply["content"])
    finally:
        stop(km, c)
    time.sleep(0.3)  # let the old kernel and worker leave the CPUs
    return start_ms, cell_ms


def steady(kernel_name, ctx, warmup, iters):
    km, c, _ = start(kernel_name, ctx)
    out = {}
    try:
        time.sleep(0.5)  # slow joiner: let the iopub subscription settle
        c.kernel_info()
        c.execute("1+1")  # the first cell (waits for the worker); the floor's first_eval
        for _ in range(warmup):
            c.execute("1+1")
        kpid = km.provisioner.process.pid if getattr(km, "provisioner", None) else km.kernel.pid
        wpids = children(kpid)
        cpu0 = (cpu_ms(kpid), sum(cpu_ms(p) for p in wpids), time.process_time() * 1000.0)
        out["execute"] = [c.execute("1+1") for _ in range(iters)]
        cpu1 = (cpu_ms(kpid), sum(cpu_ms(p) for p in wpids), time.process_time() * 1000.0)
        out["cpu_ms_per_execute"] = {k: (b - a) / iters for k, a, b in zip(("kernel", "worker", "client"), cpu0, cpu1)}
        # decomposition: the same round trip without the worker (kernel_info; an empty cell)
        for _ in range(warmup):
            c.kernel_info()
        out["kernel_info"] = [c.kernel_info() for _ in range(iters)]
        for _ in range(warmup):
            c.execute("")
        out["empty_cell"] = [c.execute("") for _ in range(iters)]
    finally:
        stop(km, c)
    return out


def read_floor(paths):
    """Floor runs (before and after the kernel's, so both see the same machine load): samples are pooled,
    single figures averaged."""
    runs = []
    for path in paths:
        run = {}
        with open(path) as f:
            for line in f:
                parts = line.split(None, 1)
                if len(parts) != 2:
                    continue
                k, v = parts[0], parts[1].strip()
                if k.endswith("_samples_ms"):
                    run[k] = [float(x) for x in v.split(",") if x]
                else:
                    try:
                        run[k] = float(v)
                    except ValueError:
                        run[k] = v
        runs.append(run)
    floor = {}
    for k in runs[0]:
        vals = [r[k] for r in runs if k in r]
        if k.endswith("_samples_ms"):
            floor[k] = [x for v in vals for x in v]
            base = k[:-len("_samples_ms")]
            floor[base + "_p50_ms"] = pct(floor[k], 50)
            floor[base + "_p95_ms"] = pct(floor[k], 95)
            floor[base + "_p50_ms_per_run"] = [r[base + "_p50_ms"] for r in runs]
        elif isinstance(vals[0], float) and not k.endswith(("_p50_ms", "_p95_ms")):
            floor[k] = statistics.mean(vals)
        elif k not in floor:
            floor[k] = vals[0]
    return floor


def fmt(ms):
    return "%.1f ms" % ms if ms < 1000 else "%.2f s" % (ms / 1000.0)


def mark(ok):
    return "PASS" if ok else "MISS"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--floor", required=True, action="append", help="output of JShellFloor.java (repeatable)")
    ap.add_argument("--starts", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--iters", type=int, default=100)
    ap.add_argument("--first-cell-wait", type=float, default=2.0)
    ap.add_argument("--spare-idle", type=float, default=60.0, help="seconds the idle cost of a spare is measured over")
    ap.add_argument("--json")
    ap.add_argument("--measure-only", metavar="FILE", help="measure the kernel, write the samples to FILE, stop")
    ap.add_argument("--report-only", metavar="FILE", help="print the report from FILE and the floor files")
    a = ap.parse_args()

    if a.report_only:
        with open(a.report_only) as f:
            k = json.load(f)
        starts, cold, warm, st, sp = k["starts"], k["cold"], k["warm"], k["steady"], k.get("spare")
    else:
        ctx = zmq.Context()
        starts, cold, warm = [], [], []
        for _ in range(a.starts):
            s, cell = first_cell(a.kernel, ctx, 0)
            starts.append(s)
            cold.append(cell)
        for _ in range(a.starts):
            s, cell = first_cell(a.kernel, ctx, a.first_cell_wait)
            starts.append(s)
            warm.append(cell)
        st = steady(a.kernel, ctx, a.warmup, a.iters)
        sp = spare_cells(a.kernel, ctx, a.starts, a.spare_idle)
        ctx.term()
        if a.measure_only:
            with open(a.measure_only, "w") as f:
                json.dump({"starts": starts, "cold": cold, "warm": warm, "steady": st, "spare": sp}, f)
            return
    floor = read_floor(a.floor)

    ex = st["execute"]
    p50, p95 = pct(ex, 50), pct(ex, 95)
    raw50, raw95 = floor["eval_p50_ms"], floor["eval_p95_ms"]
    start_med = statistics.median(starts)
    cold_med, warm_med = statistics.median(cold), statistics.median(warm)

    n = a.starts
    rows = [
        ("kernel start -> kernel_info_reply (median of %d)" % (2 * n), fmt(start_med),
         "<= 500 ms", mark(start_med <= TARGET_START_MS)),
        ("first cell `1+1` right after kernel_info (median of %d)" % n, fmt(cold_med),
         "<= 150 ms", mark(cold_med <= TARGET_FIRST_CELL_MS)),
        ("first cell `1+1` after %.0f s wait (median of %d)" % (a.first_cell_wait, n), fmt(warm_med),
         "<= 150 ms", mark(warm_med <= TARGET_FIRST_CELL_MS)),
    ]
    if sp:
        spare_med = statistics.median(sp["cells"])
        rows.append(("first cell `1+1` right after kernel_info with a spare (median of %d)" % len(sp["cells"]),
                     fmt(spare_med), "<= 150 ms", mark(spare_med <= TARGET_FIRST_CELL_MS)))
    rows += [
        ("execute `1+1` p50 (%d after %d warm-up)" % (a.iters, a.warmup), fmt(p50),
         "<= floor + 2 ms = %s" % fmt(raw50 + TARGET_P50_OVER_FLOOR_MS),
         mark(p50 <= raw50 + TARGET_P50_OVER_FLOOR_MS)),
        ("execute `1+1` p95", fmt(p95), "-", "-"),
        ("floor: raw JShell eval(\"1+1\") p50 (%d runs pooled)" % len(a.floor), fmt(raw50), "-", "-"),
        ("floor: raw JShell eval(\"1+1\") p95", fmt(raw95), "-", "-"),
    ]
    w = [max(len(r[i]) for r in rows + [("measure", "value", "target", "result")]) for i in range(4)]
    line = lambda r: "| " + " | ".join(r[i].ljust(w[i]) for i in range(4)) + " |"
    print(line(("measure", "value", "target", "result")))
    print("|" + "|".join("-" * (x + 2) for x in w) + "|")
    for r in rows:
        print(line(r))
    print()
    print("kernel p50 / raw JShell p50 = %.2fx; kernel p50 - raw p50 = %+.1f ms (target <= +%.0f ms)"
          % (p50 / raw50, p50 - raw50, TARGET_P50_OVER_FLOOR_MS))
    print("kernel p95 / raw JShell p95 = %.2fx; kernel p95 - raw p95 = %+.1f ms" % (p95 / raw95, p95 - raw95))
    print()
    print("decomposition (p50 / p95 of %d each):" % a.iters)
    print("  kernel_info round trip (wire only, no worker):   %s / %s"
          % (fmt(pct(st["kernel_info"], 50)), fmt(pct(st["kernel_info"], 95))))
    print("  empty cell round trip (execute path, no worker): %s / %s"
          % (fmt(pct(st["empty_cell"], 50)), fmt(pct(st["empty_cell"], 95))))
    print("  raw JShell analyzeCompletion + eval (worker's per-cell JShell work): %s / %s"
          % (fmt(floor["split_eval_p50_ms"]), fmt(floor["split_eval_p95_ms"])))
    cpu = st["cpu_ms_per_execute"]
    print("  CPU per measured execute: kernel JVM %.1f ms, worker JVM %.1f ms, this client %.1f ms;"
          " raw JShell eval %.1f ms" % (cpu["kernel"], cpu["worker"], cpu["client"], floor.get("eval_cpu_ms", float("nan"))))
    print("  raw JShell eval p50 of each floor run (before / after the kernel's): %s"
          % " / ".join(fmt(x) for x in floor["eval_p50_ms_per_run"]))
    print("  raw JShell: build %s, first eval %s (%s)"
          % (fmt(floor["build_ms"]), fmt(floor["first_eval_ms"]), floor.get("java_version", "?")))
    print("  starts (ms): %s" % " ".join("%.0f" % s for s in starts))
    print("  first cells, right after / after wait (ms): %s / %s"
          % (" ".join("%.0f" % s for s in cold), " ".join("%.0f" % s for s in warm)))

    if sp:
        print("  with a spare: %d of %d first cells served by a claimed spare; starts (ms) %s; first cells (ms) %s;"
              " median %+.1f ms against the first cell after %.0f s wait"
              % (sp["served"], len(sp["cells"]), " ".join("%.0f" % s for s in sp["starts"]),
                 " ".join("%.0f" % s for s in sp["cells"]), statistics.median(sp["cells"]) - warm_med, a.first_cell_wait))
        print("  idle cost of one waiting spare: RSS %.0f MiB (%.0f MiB after %.0f s), CPU %.1f ms per minute idle"
              % (sp["rss_mib"][0], sp["rss_mib"][1], sp["idle_s"], sp["idle_cpu_ms_per_min"]))

    if a.json:
        with open(a.json, "w") as f:
            json.dump({"starts_ms": starts, "first_cell_ms": cold, "first_cell_after_wait_ms": warm,
                       "steady": st, "spare": sp, "floor": floor}, f, indent=1)


if __name__ == "__main__":
    main()
