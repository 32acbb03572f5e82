"""%%sql on DuckDB against the same query through raw JDBC in the same worker, and time to first rows
of a 10-million-row result, through one real kernel (jupyter_client)."""
import os
import statistics
import sys
import time

import jupyter_client

ROWS = 10_000_000
QUERY = f"SELECT range AS i, range * 2 AS j, range % 7 AS k FROM range({ROWS})"
km, kc = jupyter_client.manager.start_new_kernel(kernel_name=sys.argv[1], startup_timeout=120)
try:
    def run(code):
        """(ms to the first output message, ms to the reply)"""
        t = time.perf_counter()
        mid = kc.execute(code)
        first = None
        while True:
            m = kc.get_iopub_msg(timeout=300)
            if m["parent_header"].get("msg_id") != mid:
                continue
            if m["msg_type"] == "error":
                raise AssertionError(m["content"]["evalue"])
            if first is None and m["msg_type"] in ("display_data", "execute_result", "stream"):
                first = (time.perf_counter() - t) * 1000
            if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                return first, (time.perf_counter() - t) * 1000

    run("var conn = java.sql.DriverManager.getConnection(\"jdbc:duckdb:\");")
    # raw JDBC: every value read through the ResultSet, in the same worker, same query
    raw_cell = ("long n = 0, sum = 0; try (var st = conn.createStatement(); var rs = st.executeQuery(\"" + QUERY + "\")) {"
                " while (rs.next()) { n++; sum += rs.getLong(1) + rs.getLong(2) + rs.getLong(3); } } n")
    sql_cell = "%%sql out=big\n" + QUERY
    show_cell = "%%sql\n" + QUERY
    for _ in range(3):  # warm-up (JIT, DuckDB caches)
        run(raw_cell), run(sql_cell), run(show_cell)
    raw, full, shown, first = [], [], [], []
    for _ in range(7):
        raw.append(run(raw_cell)[1])
        full.append(run(sql_cell)[1])
        f, d = run(show_cell)
        first.append(f)
        shown.append(d)
    r, s, sh, fr = (statistics.median(x) for x in (raw, full, shown, first))
    print("| measure | p50 | target | result |\n|---|---|---|---|")
    print(f"| raw JDBC, {ROWS:,} rows x 3 longs read through ResultSet (baseline) | {r:.0f} ms | - | - |")
    print(f"| `%%sql out=big` same query (whole result as an Arrow Table, shown) | {s:.0f} ms | <= 1.05x raw | "
          f"{'PASS' if s <= 1.05 * r else 'MISS'} ({s / r:.2f}x) |")
    print(f"| `%%sql` same query, first rows on the page | {fr:.0f} ms | <= 100 ms | {'PASS' if fr <= 100 else 'MISS'} |")
    print(f"| `%%sql` same query, whole cell | {sh:.0f} ms | - | - |")
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)

sys.stdout.flush()
os._exit(0)  # skip jupyter_client's noisy destructors at interpreter exit
