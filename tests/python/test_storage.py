"""Dict and Queue from notebook cells: a real SQLite store in FERRY_DATA_DIR, shared by kernels."""
import tempfile
import threading
import time

from conftest import Kernel


def _value(r):
    assert r.status == "ok", r.describe()
    return r.results[0]["data"]["text/plain"]


def test_dict_and_queue_are_shared_by_two_kernels_and_a_blocked_get_wakes():
    data = tempfile.mkdtemp(prefix="ferry-store-")
    a, b = Kernel(data_dir=data), Kernel(data_dir=data)
    try:
        a.execute_ok('var d = Dict.fromName("shared-results", true); d.put("answer", 42); d.size()')
        assert _value(b.execute('Dict.fromName("shared-results", false).get("answer")')) == "42"

        # b blocks on an empty queue; a puts; b wakes promptly with the item
        b_code = 'var q = Queue.fromName("jobs", true); long t0 = System.nanoTime(); var job = q.get(java.time.Duration.ofSeconds(20)); job + " after " + (System.nanoTime() - t0) / 1_000_000 + " ms"'
        box = {}
        t = threading.Thread(target=lambda: box.setdefault("r", b.execute(b_code, timeout=40)))
        t.start()
        time.sleep(2.0)
        a.execute_ok('Queue.fromName("jobs", true).put("job-1");')
        t.join(40)
        text = _value(box["r"])
        assert text.startswith("job-1 after "), text
        waited = int(text.split()[2])
        assert waited < 2000 + 1500, text  # woke soon after the put, not at the 20 s timeout
    finally:
        a.close()
        b.close()


def test_missing_dict_is_a_clear_error(kernel):
    r = kernel.execute('Dict.fromName("no-such-dict-here", false)')
    assert r.status == "error", r.describe()
    assert "no-such-dict-here" in r.error_text(), r.describe()
