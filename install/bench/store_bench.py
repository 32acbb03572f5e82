"""Dict.get p50 from the notebook's worker (SQLite file opened in the worker) and from a worker in a container
(store.* calls over the worker protocol to the kernel), beside a raw prepared SQLite `SELECT 1` on the same
file in the same worker (the floor of any SQLite read). Every call is timed inside the cell, so the numbers exclude Jupyter's round trip."""
import os
import sys

import jupyter_client

km, kc = jupyter_client.manager.start_new_kernel(kernel_name=sys.argv[1], startup_timeout=120)
try:
    def value(code):
        out = {}

        def hook(msg):
            if msg["msg_type"] == "execute_result":
                out["v"] = msg["content"]["data"]["text/plain"]
            elif msg["msg_type"] == "error":
                out["e"] = msg["content"]["evalue"]
        kc.execute_interactive(code, timeout=300, output_hook=hook)
        assert "e" not in out, out["e"]
        return out.get("v")

    P50 = ("long[] ts = new long[N]; for (int i = 0; i < N; i++) { long t0 = System.nanoTime(); OP; "
           "ts[i] = System.nanoTime() - t0; } Arrays.sort(ts); String.format(\"%.1f\", ts[N / 2] / 1000.0)")

    def p50(op, n, prefix=""):
        return float(value(prefix + "int N = " + str(n) + ";\n" + P50.replace("OP", op)))

    value('var d = Dict.fromName("bench-store", true); d.put("k", "v".repeat(100));')
    db = os.path.join(os.environ["FERRY_DATA_DIR"], "store.sqlite")
    value(f'var raw = java.sql.DriverManager.getConnection("jdbc:sqlite:{db}");'
          ' var ps = raw.prepareStatement("SELECT 1");')
    for _ in range(2):
        local = p50('d.get("k")', 20000)
        rawp = p50("ps.executeQuery().close()", 20000)
    value('%%remote session=bench\nvar d = Dict.fromName("bench-store", false); ((String) d.get("k")).length()')
    for _ in range(2):
        remote = p50('d.get("k")', 2000, "%%remote session=bench\n")
    value("%remote stop bench")
    print("| measure | p50 | target | result |\n|---|---|---|---|")
    print(f"| raw SQLite `SELECT 1` prepared, in the notebook's worker (baseline) | {rawp:.1f} µs | - | - |")
    print(f"| `Dict.get` in the notebook's worker (SQLite file in the worker) | {local:.1f} µs | <= 1 ms | "
          f"{'PASS' if local <= 1000 else 'MISS'} ({local / rawp:.1f}x raw) |")
    print(f"| `Dict.get` in a container (store.* calls to the kernel through docker attach) | {remote:.1f} µs | "
          f"<= 1 ms | {'PASS' if remote <= 1000 else 'MISS'} |")
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)

sys.stdout.flush()
os._exit(0)
