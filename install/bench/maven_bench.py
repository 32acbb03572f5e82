"""%maven of a locally cached artifact against a plain `1+1` cell, through one real kernel."""
import os
import statistics
import sys
import time

import jupyter_client

COORD = "org.apache.commons:commons-math3:3.6.1"
km, kc = jupyter_client.manager.start_new_kernel(kernel_name=sys.argv[1], startup_timeout=120)
try:
    def timed(code):
        t = time.perf_counter()
        reply = kc.execute(code, reply=True, timeout=300)
        ms = (time.perf_counter() - t) * 1000
        assert reply["content"]["status"] == "ok", reply["content"]
        return ms

    time.sleep(2)
    first = timed(f"%maven {COORD}")  # may download once; the resolver loads here
    base = [timed("1+1") for _ in range(5)] + [timed("1+1") for _ in range(20)]
    warm = [timed(f"%maven {COORD}") for _ in range(20)]
    b, w = statistics.median(base[5:]), statistics.median(warm)
    print(f"| measure | p50 | target | result |\n|---|---|---|---|")
    print(f"| first %maven in this worker | {first:.1f} ms | - | - |")
    print(f"| `1+1` cell (baseline) | {b:.1f} ms | - | - |")
    print(f"| %maven {COORD}, cached | {w:.1f} ms | <= 300 ms | {'PASS' if w <= 300 else 'MISS'} |")
    print(f"\n%maven cached / `1+1` = {w / b:.2f}x")
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)

sys.stdout.flush()
os._exit(0)  # skip jupyter_client's noisy destructors at interpreter exit
