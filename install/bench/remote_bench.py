"""The `remote` suite of install/bench.sh: `%%remote` cold start, warm session cells and the Arrow transfer of
`out=`, each against a baseline measured in the same run, through one installed Ferry kernelspec over the
Jupyter wire protocol. Run with Debian's /usr/bin/python3 (jupyter_client, pyzmq); bench.sh does this:

    /usr/bin/python3 install/bench/remote_bench.py --kernel NAME --image IMAGE --lib KERNELSPEC/lib
        --java JAVA --work DIR [--cold 7] [--warm 30] [--rows 10000000] [--reps 3] [--json OUT.json]

Every cell is timed from sending its execute_request to its execute_reply (the client then drains iopub to
`idle`, untimed), like the `kernel` suite, with the same raw pyzmq client (kernel_bench.Client).

1. cold: `%%remote\\n1+1` (a new container from the cached base image, the cell, the value back) against
   `docker run --rm --network none IMAGE true`, interleaved rep by rep; the breakdown starts the same worker
   the kernel starts (same image, JVM options, read-only bind mount of the kernelspec's lib/ at the same path,
   the same `sh -c 'exec java ... 3>&1 4<&0 1>&2 0</dev/null'` wrapper) with `docker run -i`, speaks the
   worker protocol to it directly (no kernel) and times its hello frame and its first `1+1` result; also
   with a CDS archive made for the image's own JDK, and as a host process (the kernelspec's archive).
2. warm: `%%remote session=b\\n1+1` against a local `1+1` in the same kernel, interleaved.
3. arrow: in a session, a table of ROWS x 3 (Int64, Float64, Int32) is built once; then `%%remote
   session=s out=t\\ntbl` is timed (the remote eval of `tbl`, Arrow IPC encoding in the container, the frame
   over the container's attach stream to the kernel, the relay to the notebook's worker, decoding, binding
   `t`). Baseline: the same number of bytes written by a process in a container to its stdout and received by
   docker-java in a JVM (RawAttach.java), i.e. the raw capacity of the channel every result byte crosses.
   Also: the same table from a worker process on the host (`engine=process`: no Docker in the path), a
   one-column Binary table of the same IPC size through the same `out=` path (Ferry's relay with almost no
   Arrow work), `out=` of a 1-row table (the fixed cost of an out= cell), and ArrowIpc encode/decode of the
   table inside the container (no channel).
"""
import argparse
import json
import os
import statistics
import struct
import subprocess
import sys
import time

import zmq

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kernel_bench import Client, fmt, mark, pct, start, stop  # noqa: E402

TARGET_COLD_OVER_DOCKER_MS = 400.0
TARGET_WARM_OVER_LOCAL_MS = 5.0
TARGET_ARROW_OF_RAW = 0.5
MAIN = "dev.ferry.remote.worker.WorkerMain"
# the options RemoteControl's WorkerTemplate gives every remote worker (kernel/.../FerryKernel.remoteControl)
WORKER_OPTS = ["-XX:+ExitOnOutOfMemoryError", "-Xshare:auto", "--add-opens=java.base/java.nio=ALL-UNNAMED",
               "-Djava.awt.headless=true"]
WRAP = 'exec "$0" "$@" 3>&1 4<&0 1>&2 0</dev/null'  # WorkerLaunch.command()
MIB = 1 << 20


def log(msg):
    print("remote_bench: " + msg, file=sys.stderr, flush=True)


def p50(xs):
    return pct(xs, 50)


# ------------------------------------------------------------------ the kernel, with cell output

class RClient(Client):
    def run(self, code, timeout_s=600):
        """Executes a cell; returns (ms to execute_reply, stdout+stderr text, reply content)."""
        reply, ms, msg_id = self.request("execute_request", {
            "code": code, "silent": False, "store_history": True, "user_expressions": {},
            "allow_stdin": False, "stop_on_error": True}, timeout_s)
        text = []
        while True:
            m = self.recv(self.iopub, timeout_s)
            if m["parent_header"].get("msg_id") != msg_id:
                continue
            t = m["header"]["msg_type"]
            if t == "stream":
                text.append(m["content"]["text"])
            elif t == "error":
                text.append("\n".join(m["content"].get("traceback", [])))
            elif t == "status" and m["content"].get("execution_state") == "idle":
                break
        content = reply["content"]
        if content.get("status") != "ok":
            raise RuntimeError("cell %r failed: %s %s" % (code[:60], content.get("evalue"), "".join(text)[-2000:]))
        return ms, "".join(text), content


def marks(text):
    """`FERRYBENCH key=value ...` lines a cell printed."""
    out = {}
    for line in text.splitlines():
        if line.startswith("FERRYBENCH "):
            for kv in line.split()[1:]:
                k, v = kv.split("=", 1)
                out[k] = float(v)
    return out


def kernel_containers(kernel_pid):
    r = subprocess.run(["docker", "ps", "-aq", "--filter", "label=dev.ferry.kernel.pid=%d" % kernel_pid],
                       capture_output=True, text=True)
    return r.stdout.split()


def wait_removed(kernel_pid, keep=0, timeout_s=20):
    """Waits until the kernel's one-shot container is gone (it is removed after the reply, asynchronously)."""
    end = time.time() + timeout_s
    while len(kernel_containers(kernel_pid)) > keep and time.time() < end:
        time.sleep(0.1)


# ------------------------------------------------------------------ docker CLI and the bare worker

def timed_cmd(argv):
    t = time.perf_counter()
    r = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    ms = (time.perf_counter() - t) * 1000.0
    if r.returncode != 0:
        raise RuntimeError("%s failed (%d): %s" % (" ".join(argv), r.returncode, r.stderr.decode()[-500:]))
    return ms


def read_exact(f, n):
    b = bytearray()
    while len(b) < n:
        chunk = f.read(n - len(b))
        if not chunk:
            raise EOFError("the worker's frame stream ended")
        b += chunk
    return bytes(b)


def read_frame(f):
    hl, bl = struct.unpack(">II", read_exact(f, 8))
    header = json.loads(read_exact(f, hl))
    if bl:
        read_exact(f, bl)
    return header


def write_frame(f, header):
    h = json.dumps(header).encode()
    f.write(struct.pack(">II", len(h), 0) + h)
    f.flush()


class BareWorker:
    """A worker started like the kernel starts one, driven over the worker protocol without a kernel."""

    def __init__(self, argv):
        self.t0 = time.perf_counter()
        self.p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                  bufsize=0)
        while True:
            h = read_frame(self.p.stdout)
            if h["op"] == "hello":
                break
        self.hello_ms = (time.perf_counter() - self.t0) * 1000.0
        self.ids = 0

    def execute(self, code):
        self.ids += 1
        t = time.perf_counter()
        write_frame(self.p.stdin, {"op": "execute", "id": self.ids, "code": code, "cell": self.ids,
                                   "allowStdin": False})
        while True:
            h = read_frame(self.p.stdout)
            if h["op"] == "result" and h.get("id") == self.ids:
                if h.get("status") != "ok":
                    raise RuntimeError("bare worker: %r failed: %s" % (code, h))
                return (time.perf_counter() - t) * 1000.0

    def close(self):
        try:
            self.p.stdin.close()  # end of the frame stream: the worker halts
        except OSError:
            pass
        try:
            self.p.wait(30)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()


# ------------------------------------------------------------------ main

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--image", required=True)
    ap.add_argument("--lib", required=True, help="the kernelspec's lib/ (its sibling worker/ is the worker's class path)")
    ap.add_argument("--host-archive", help="the kernelspec's worker.jsa, for the host-process worker")
    ap.add_argument("--java", required=True, help="java of the kernel (host-process worker, RawAttach)")
    ap.add_argument("--work", required=True, help="scratch directory (the image-JDK CDS archive goes here)")
    ap.add_argument("--cold", type=int, default=7)
    ap.add_argument("--warm", type=int, default=30)
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--no-process", dest="process", action="store_false",
                    help="skip the out= row through a host worker process (engine=process)")
    ap.add_argument("--cold-only", action="store_true",
                    help="a remote engine (DOCKER_HOST): only cold cells, each with the worker's class path sent again"
                         " (its volume removed first) and with it cached, against docker run on the same engine")
    ap.add_argument("--json")
    a = ap.parse_args()
    if a.cold_only:
        return cold_only(a)

    lib = os.path.realpath(a.lib)
    # the worker's own class path sits beside the kernel's lib/ (install/install.sh)
    wlib = os.path.join(os.path.dirname(lib), "worker")
    if not os.path.isdir(wlib):
        wlib = lib
    jars = sorted(os.path.join(wlib, j) for j in os.listdir(wlib) if j.endswith(".jar"))
    cp = ":".join(jars)
    img = a.image
    dr = ["docker", "run", "--rm", "--network", "none"]
    worker_run = dr + ["-i", "--log-driver", "none", "-v", "%s:%s:ro" % (wlib, wlib)]
    s = {}  # samples

    # a CDS archive for the image's JDK (the kernelspec's worker.jsa belongs to the host JDK)
    work = os.path.realpath(a.work)
    jsa = os.path.join(work, "worker-image.jsa")
    log("making a CDS archive of the worker for the image's JDK (what-if row)...")
    r = subprocess.run(dr + ["-v", "%s:%s:ro" % (wlib, wlib), "-v", "%s:%s" % (work, work), img, "java",
                             "-XX:ArchiveClassesAtExit=" + jsa, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"]
                       + WORKER_OPTS + ["-cp", cp, MAIN, "--train"], capture_output=True, text=True)
    have_jsa = r.returncode == 0 and os.path.exists(jsa) and os.path.getsize(jsa) > 0
    if not have_jsa:
        log("no image-JDK archive (%d): %s" % (r.returncode, r.stderr[-300:]))

    def container_worker(extra=()):
        mounts = ["-v", "%s:%s:ro" % (work, work)] if extra else []
        return BareWorker(worker_run + mounts + [img, "sh", "-c", WRAP, "java"] + WORKER_OPTS + list(extra)
                          + ["-cp", cp, MAIN, "--protocol-fds"])

    def host_worker():
        extra = ["-XX:SharedArchiveFile=" + a.host_archive] if a.host_archive else []
        return BareWorker(["sh", "-c", WRAP, a.java] + WORKER_OPTS + extra + ["-cp", cp, MAIN, "--protocol-fds"])

    def bare(key, make):
        w = make()
        try:
            first = w.execute("1+1")
        finally:
            w.close()
        s.setdefault(key + "_hello", []).append(w.hello_ms)
        s.setdefault(key + "_first", []).append(w.hello_ms + first)

    ctx = zmq.Context()
    log("starting the kernel...")
    km, c, _ = start(a.kernel, ctx)
    c.__class__ = RClient  # kernel_bench's client, with run() that also collects the cell's output
    kpid = km.provisioner.process.pid if getattr(km, "provisioner", None) else km.kernel.pid
    try:
        time.sleep(2)
        c.run("1+1")
        # ---------------------------------------------------------------- 1. cold
        log("cold: %d reps of docker run / bare workers / %%%%remote, interleaved..." % a.cold)
        ms, _, _ = c.run("%%remote\n1+1")
        s["first_remote_of_kernel"] = ms
        wait_removed(kpid)
        for i in range(a.cold):
            s.setdefault("docker_true", []).append(timed_cmd(dr + [img, "true"]))
            s.setdefault("docker_java", []).append(timed_cmd(dr + [img, "java", "-version"]))
            bare("container_worker", container_worker)
            if have_jsa:
                bare("container_worker_cds", lambda: container_worker(["-XX:SharedArchiveFile=" + jsa]))
                bare("container_worker_cds_c1", lambda: container_worker(["-XX:SharedArchiveFile=" + jsa,
                                                                          "-XX:TieredStopAtLevel=1"]))
            bare("host_worker", host_worker)
            time.sleep(0.3)
            ms, _, _ = c.run("%%remote\n1+1")
            s.setdefault("cold_remote", []).append(ms)
            wait_removed(kpid)
            log("  cold rep %d: docker true %.0f ms, %%%%remote %.0f ms" % (i + 1, s["docker_true"][-1], ms))
        # the remote worker's own warm `1+1` over docker attach, no kernel (warm breakdown)
        w = container_worker()
        try:
            for _ in range(10):
                w.execute("1+1")
            s["bare_warm"] = [w.execute("1+1") for _ in range(a.warm)]
        finally:
            w.close()

        # ---------------------------------------------------------------- 2. warm
        log("warm: session b, %d local and %d remote `1+1`, interleaved..." % (a.warm, a.warm))
        ms, _, _ = c.run("%%remote session=b\n1+1")
        s["session_start"] = ms
        for _ in range(10):
            c.run("%%remote session=b\n1+1")
            c.run("1+1")
        for _ in range(a.warm):
            s.setdefault("local", []).append(c.run("1+1")[0])
            s.setdefault("warm_remote", []).append(c.run("%%remote session=b\n1+1")[0])
        c.run("%remote stop b")
        for _ in range(a.warm):  # the kernel's execute path without JShell, for the breakdown
            s.setdefault("empty_cell", []).append(c.run("")[0])
        wait_removed(kpid)

        # ---------------------------------------------------------------- 3. arrow
        n = a.rows
        log("arrow: building a %d x 3 table in session s (not measured)..." % n)
        # one block: JShell compiles each top-level snippet just before running it, so timings spanning
        # several snippets would include javac
        build = f"""
Table tbl;
{{
    long t0 = System.nanoTime();
    int n = {n};
    var cols = new LinkedHashMap<String, List<?>>();
    cols.put("a", LongStream.range(0, n).boxed().toList());
    cols.put("b", IntStream.range(0, n).mapToDouble(i -> i * 0.5).boxed().toList());
    cols.put("c", IntStream.range(0, n).boxed().toList());
    tbl = Table.fromColumns(cols);
    long t1 = System.nanoTime();
    cols = null;
    System.gc();
    long ipcBytes = dev.ferry.arrow.ArrowIpc.toBytes(tbl).length;
    System.out.println("FERRYBENCH build_ms=" + (t1 - t0) / 1e6 + " ipc_bytes=" + ipcBytes
        + " rows=" + tbl.rowCount() + " heap_max_mib=" + Runtime.getRuntime().maxMemory() / (1 << 20));
}}"""
        ms, text, _ = c.run("%%remote session=s" + build)
        m = marks(text)
        ipc = int(m["ipc_bytes"])
        s["arrow_build_ms"] = m["build_ms"]
        s["arrow_ipc_bytes"] = ipc
        s["remote_heap_max_mib"] = m["heap_max_mib"]
        chunk = MIB
        _, text, _ = c.run(f"""%%remote session=s
Table bin;
{{
    long total = {ipc} - 2048; // a one-column Binary table's IPC framing (schema, offsets, end) is about this
    var chunks = new ArrayList<byte[]>();
    for (long left = total; left > 0; left -= {chunk}) chunks.add(new byte[(int) Math.min({chunk}, left)]);
    var bcols = new LinkedHashMap<String, List<?>>();
    bcols.put("blob", chunks);
    bin = Table.fromColumns(bcols);
    System.out.println("FERRYBENCH bin_ipc_bytes=" + dev.ferry.arrow.ArrowIpc.toBytes(bin).length);
}}""")
        s["binary_ipc_bytes"] = int(marks(text)["bin_ipc_bytes"])
        c.run("%%remote session=s\nTable one = Table.fromColumns(Map.of(\"a\", List.of(1L)));")
        if a.process:  # the same table in a worker process on the host (engine=process): no Docker in the path
            c.run("%%remote session=p engine=process" + build)
        # the notebook's first out= loads Arrow's classes in its worker (and the kernel's relay path): not a rep
        s["first_out"] = c.run("%%remote session=s out=o\none")[0]
        raw_mib = -(-ipc // MIB)  # whole MiB, at least the table's IPC size
        for rep in range(a.reps):
            _, text, _ = c.run("""%%remote session=s
{
    System.gc();
    long e0 = System.nanoTime();
    byte[] ipcCopy = dev.ferry.arrow.ArrowIpc.toBytes(tbl);
    long e1 = System.nanoTime();
    var back = dev.ferry.arrow.ArrowIpc.fromBytes(ipcCopy);
    long e2 = System.nanoTime();
    back.close();
    ipcCopy = null;
    System.gc();
    System.out.println("FERRYBENCH encode_ms=" + (e1 - e0) / 1e6 + " decode_ms=" + (e2 - e1) / 1e6);
}""")
            m = marks(text)
            s.setdefault("encode", []).append(m["encode_ms"])
            s.setdefault("decode", []).append(m["decode_ms"])
            ms, _, _ = c.run("%%remote session=s out=t\ntbl")
            s.setdefault("arrow", []).append(ms)
            _, text, _ = c.run('System.out.println("FERRYBENCH rows=" + t.rowCount()); t.close(); System.gc();')
            if int(marks(text)["rows"]) != n:
                raise RuntimeError("out=t has %s rows, not %d" % (marks(text)["rows"], n))
            if a.process:
                ms, _, _ = c.run("%%remote session=p engine=process out=t\ntbl")
                s.setdefault("process", []).append(ms)
                c.run("t.close(); System.gc();")
            ms, _, _ = c.run("%%remote session=s out=o\none")
            s.setdefault("one_row", []).append(ms)
            ms, _, _ = c.run("%%remote session=s out=r\nbin")
            s.setdefault("binary", []).append(ms)
            c.run("r.close(); System.gc();")
            r = subprocess.run([a.java, "-cp", os.path.join(lib, "*"),
                                os.path.join(os.path.dirname(os.path.abspath(__file__)), "RawAttach.java"),
                                img, str(raw_mib), "1"], capture_output=True, text=True)
            if r.returncode != 0:
                raise RuntimeError("RawAttach failed: " + r.stderr[-1000:])
            line = [x for x in r.stdout.splitlines() if x.startswith("raw_ms ")][0].split()
            s.setdefault("raw", []).append(float(line[1]))
            s["raw_bytes"] = int(line[3])
            log("  arrow rep %d: out=t %.0f ms, binary %.0f ms, raw attach %.0f ms%s"
                % (rep + 1, s["arrow"][-1], s["binary"][-1], s["raw"][-1],
                   ", engine=process %.0f ms" % s["process"][-1] if a.process else ""))
        c.run("%remote stop s")
        if a.process:
            c.run("%remote stop p")
    finally:
        stop(km, c)
        ctx.term()
    report(a, s)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(s, f, indent=1)


def worker_volumes():
    r = subprocess.run(["docker", "volume", "ls", "-q", "-f", "label=dev.ferry=worker-classpath"],
                       capture_output=True, text=True, check=True)
    return r.stdout.split()


def cold_only(a):
    """Cold cells on a (remote) engine: the class path sent again (its volume removed) against cached, interleaved."""
    img = a.image
    dr = ["docker", "run", "--rm", "--network", "none"]
    s = {}
    ctx = zmq.Context()
    log("starting the kernel...")
    km, c, _ = start(a.kernel, ctx)
    c.__class__ = RClient
    kpid = km.provisioner.process.pid if getattr(km, "provisioner", None) else km.kernel.pid
    try:
        time.sleep(2)
        c.run("1+1")
        ms, _, _ = c.run("%%remote\n1+1")
        s["first_remote_of_kernel"] = ms
        wait_removed(kpid)
        for i in range(a.cold):
            s.setdefault("docker_true", []).append(timed_cmd(dr + [img, "true"]))
            vols = worker_volumes()
            if vols:
                subprocess.run(["docker", "volume", "rm", "-f"] + vols, capture_output=True, check=True)
            ms, _, out = c.run("%%remote\n1+1")
            s.setdefault("cold_resend", []).append(ms)
            wait_removed(kpid)
            s.setdefault("docker_true", []).append(timed_cmd(dr + [img, "true"]))
            ms, _, _ = c.run("%%remote\n1+1")
            s.setdefault("cold_cached", []).append(ms)
            wait_removed(kpid)
            log("  cold rep %d: docker true %.0f ms, %%%%remote resend %.0f ms, cached %.0f ms"
                % (i + 1, s["docker_true"][-1], s["cold_resend"][-1], ms))
    finally:
        stop(km, c)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(s, f, indent=1)
    H = ("measure", "Ferry", "baseline (same run)", "ratio")
    dk = p50(s["docker_true"])
    print("### Cold `%%%%remote` on %s (p50 of %d, interleaved)" % (os.environ.get("DOCKER_HOST", "the local socket"),
                                                                   len(s["cold_cached"])))
    print()
    rows = []
    for key, what in (("cold_resend", "class path sent again (its volume removed first; as every cell did before)"),
                      ("cold_cached", "class path in the engine's volume (every cell after the first)")):
        v = p50(s[key])
        rows.append(("`%%%%remote` `1+1`, new container, %s" % what, fmt(v),
                     "`docker run --rm --network none IMAGE true` %s" % fmt(dk), "%.1fx (+%s)" % (v / dk, fmt(v - dk))))
    table(H, rows)
    print()
    print("first `%%%%remote` of the kernel: %s" % fmt(s["first_remote_of_kernel"]))
    print("samples (ms): resend %s; cached %s; docker true %s" % tuple(
        " ".join("%.0f" % x for x in s[k]) for k in ("cold_resend", "cold_cached", "docker_true")))


def table(header, rows):
    w = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    line = lambda r: "| " + " | ".join(str(r[i]).ljust(w[i]) for i in range(len(header))) + " |"
    print(line(header))
    print("|" + "|".join("-" * (x + 2) for x in w) + "|")
    for r in rows:
        print(line(r))


def report(a, s):
    H = ("measure", "Ferry", "baseline (same run)", "ratio", "target", "result")
    # ---- cold
    cold, dk = p50(s["cold_remote"]), p50(s["docker_true"])
    print("### Cold `%%%%remote` (p50 of %d, interleaved)" % len(s["cold_remote"]))
    print()
    table(H, [("`%%remote` `1+1`, new container (request -> reply)", fmt(cold),
               "`docker run --rm --network none IMAGE true` %s" % fmt(dk), "%.1fx (+%s)" % (cold / dk, fmt(cold - dk)),
               "<= docker run + 400 ms = %s" % fmt(dk + TARGET_COLD_OVER_DOCKER_MS),
               mark(cold <= dk + TARGET_COLD_OVER_DOCKER_MS))])
    print()
    print("Breakdown (p50 of %d each; the bare workers are started like the kernel starts one and driven over"
          " the worker protocol directly, no kernel):" % len(s["docker_true"]))
    print()
    rows = [
        ("`docker run ... true` (container create, start, attach, exit, remove)", fmt(dk)),
        ("`docker run ... java -version` (+ a JVM start in the container)", fmt(p50(s["docker_java"]))),
        ("`docker run -i` worker (image JDK) -> hello frame (JVM + JShell + warm-up eval)",
         fmt(p50(s["container_worker_hello"]))),
        ("  ... -> first `1+1` result", fmt(p50(s["container_worker_first"]))),
    ]
    if "container_worker_cds_hello" in s:
        rows += [("same with a CDS archive of the worker for the image's JDK -> hello",
                  fmt(p50(s["container_worker_cds_hello"]))),
                 ("  ... -> first `1+1` result", fmt(p50(s["container_worker_cds_first"]))),
                 ("same with that archive and `-XX:TieredStopAtLevel=1` -> hello",
                  fmt(p50(s["container_worker_cds_c1_hello"]))),
                 ("  ... -> first `1+1` result", fmt(p50(s["container_worker_cds_c1_first"])))]
    rows += [
        ("worker as a host process (host JDK, kernelspec's CDS archive) -> hello", fmt(p50(s["host_worker_hello"]))),
        ("  ... -> first `1+1` result", fmt(p50(s["host_worker_first"]))),
        ("Ferry's part: cold `%%remote` - bare container worker's first result",
         "%+.0f ms" % (cold - p50(s["container_worker_first"]))),
        ("first `%%remote` of the kernel (docker-java loads in the kernel JVM; not in the p50)",
         fmt(s["first_remote_of_kernel"])),
    ]
    table(("step", "p50"), rows)
    print()
    print("samples (ms): cold %s; docker true %s" % (" ".join("%.0f" % x for x in s["cold_remote"]),
                                                   " ".join("%.0f" % x for x in s["docker_true"])))
    print()
    # ---- warm
    wr, lo = p50(s["warm_remote"]), p50(s["local"])
    print("### Warm `%%%%remote session=b` (p50 of %d, interleaved with the local cells)" % len(s["warm_remote"]))
    print()
    table(H, [("`%%remote session=b` `1+1`", fmt(wr), "local `1+1` %s" % fmt(lo),
               "%.2fx (%+.1f ms)" % (wr / lo, wr - lo), "<= local + 5 ms = %s" % fmt(lo + TARGET_WARM_OVER_LOCAL_MS),
               mark(wr <= lo + TARGET_WARM_OVER_LOCAL_MS)),
              ("  p95", fmt(pct(s["warm_remote"], 95)), "local p95 %s" % fmt(pct(s["local"], 95)), "-", "-", "-")])
    print()
    print("  the remote worker's own `1+1` over docker attach, no kernel (bare container worker): %s p50"
          % fmt(p50(s["bare_warm"])))
    print("  empty cell through the kernel (wire + execute path, no JShell): %s p50" % fmt(p50(s["empty_cell"])))
    print("  first cell of session b (container start + worker + cell): %s" % fmt(s["session_start"]))
    print()
    # ---- arrow
    ipc = s["arrow_ipc_bytes"]
    ar, bi, raw = p50(s["arrow"]), p50(s["binary"]), p50(s["raw"])
    ar_mibs = ipc / MIB / (ar / 1000.0)
    bi_mibs = s["binary_ipc_bytes"] / MIB / (bi / 1000.0)
    raw_mibs = s["raw_bytes"] / MIB / (raw / 1000.0)
    print("### Arrow `out=`: %d rows x 3 columns (Int64, Float64, Int32), %.1f MiB of IPC (p50 of %d)"
          % (a.rows, ipc / MIB, len(s["arrow"])))
    print()
    table(H, [("`%%remote session=s out=t` `tbl` (request -> reply)", "%s, %.0f MiB/s" % (fmt(ar), ar_mibs),
               "raw docker attach, %d MiB: %s, %.0f MiB/s" % (s["raw_bytes"] // MIB, fmt(raw), raw_mibs),
               "%.2f of raw" % (ar_mibs / raw_mibs), ">= 0.5 of raw", mark(ar_mibs / raw_mibs >= TARGET_ARROW_OF_RAW)),
              ] + ([("same table, `engine=process` (worker process on the host, pipes, no Docker)",
                     "%s, %.0f MiB/s" % (fmt(p50(s["process"])), ipc / MIB / (p50(s["process"]) / 1000.0)), "-", "-",
                     "-", "-")] if "process" in s else []) + [
              ("one Binary column, same IPC size, same `out=` path", "%s, %.0f MiB/s" % (fmt(bi), bi_mibs),
               "raw docker attach %.0f MiB/s" % raw_mibs, "%.2f of raw" % (bi_mibs / raw_mibs), "-", "-")])
    print()
    print("  `out=o` of a 1-row table (the fixed cost of an out= cell: two JShell evals, the frames): %s p50"
          % fmt(p50(s["one_row"])))
    print("  the notebook's first out= (a 1-row table; Arrow's classes load in the notebook's worker; not in"
          " the p50): %s" % fmt(s["first_out"]))
    print("  in the container, no channel: ArrowIpc.toBytes %s, ArrowIpc.fromBytes %s (p50)"
          % (fmt(p50(s["encode"])), fmt(p50(s["decode"]))))
    print("  building the table in the container (boxed lists -> Table.fromColumns, not measured above): %s;"
          " the remote JVM's max heap %d MiB" % (fmt(s["arrow_build_ms"]), s["remote_heap_max_mib"]))
    print("  samples (ms): out=t %s; binary %s; raw %s%s" % (
        " ".join("%.0f" % x for x in s["arrow"]), " ".join("%.0f" % x for x in s["binary"]),
        " ".join("%.0f" % x for x in s["raw"]),
        "; engine=process " + " ".join("%.0f" % x for x in s["process"]) if "process" in s else ""))


if __name__ == "__main__":
    main()
