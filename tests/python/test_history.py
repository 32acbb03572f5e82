"""history_request: tail, range, search; persistence across a restart (isolated FERRY_DATA_DIR)."""
import shutil
import tempfile
import uuid

import pytest


@pytest.fixture(scope="module")
def hist():
    """A kernel with its own FERRY_DATA_DIR and a few executed cells."""
    from conftest import start_kernel
    data_dir = tempfile.mkdtemp(prefix="ferry-hist-")
    k = start_kernel(data_dir=data_dir)
    tag = uuid.uuid4().hex[:8]
    cells = [
        f'int h1_{tag} = 1;',
        f'System.out.println("hist-a-{tag}");',
        f'int h2_{tag} = 2;',
        f'System.out.println("hist-b-{tag}");',
        f'h1_{tag} + h2_{tag}',
    ]
    for c in cells:
        k.execute_ok(c)
    k.cells = cells
    k.tag = tag
    yield k
    k.close()
    shutil.rmtree(data_dir, ignore_errors=True)


def _history(k, **kw):
    kw.setdefault("raw", True)
    kw.setdefault("output", False)
    r = k.request(lambda: k.kc.history(**kw))
    assert r.reply is not None, f"no history_reply for {kw}"
    c = r.content
    assert c.get("status") == "ok", c
    assert isinstance(c.get("history"), list), c
    for entry in c["history"]:
        assert len(entry) == 3, entry
        session, line, source = entry
        assert isinstance(session, int) and isinstance(line, int), entry
        if kw["output"]:  # (session, line, (input, output)) as ipykernel
            assert isinstance(source, list) and len(source) == 2 and isinstance(source[0], str), entry
            assert source[1] is None or isinstance(source[1], str), entry
        else:
            assert isinstance(source, str), entry
    return c["history"]


def test_tail(hist):
    h = _history(hist, hist_access_type="tail", n=3)
    assert [e[2] for e in h] == hist.cells[-3:], h
    lines = [e[1] for e in h]
    assert lines == sorted(lines) and len(set(lines)) == 3, h
    assert len({e[0] for e in h}) == 1, h


def test_range(hist):
    tail = _history(hist, hist_access_type="tail", n=len(hist.cells))
    session = tail[0][0]
    first_line = tail[0][1]
    # the whole current session (session=0 means "current" in the protocol)
    h = _history(hist, hist_access_type="range", session=0, start=first_line, stop=first_line + len(hist.cells))
    assert [e[2] for e in h] == hist.cells, h
    # a sub-range (stop is exclusive in IPython; accept an inclusive stop too)
    h = _history(hist, hist_access_type="range", session=session, start=first_line + 1, stop=first_line + 3)
    got = [e[2] for e in h]
    assert got in (hist.cells[1:3], hist.cells[1:4]), h


def test_search(hist):
    h = _history(hist, hist_access_type="search", pattern="*println*", n=100)
    got = [e[2] for e in h]
    assert all("println" in s for s in got), got
    for c in hist.cells:
        if "println" in c:
            assert c in got, (c, got)


def test_search_specific(hist):
    h = _history(hist, hist_access_type="search", pattern=f"*hist-b-{hist.tag}*")
    assert [e[2] for e in h] == [hist.cells[3]], h


def test_output_true_pairs_each_input_with_its_result(hist):
    h = _history(hist, hist_access_type="tail", n=len(hist.cells), output=True)
    assert [e[2][0] for e in h] == hist.cells, h
    # only the last cell (h1 + h2) had an execute_result; its text/plain is the output
    assert [e[2][1] for e in h] == [None, None, None, None, "3"], h
    h = _history(hist, hist_access_type="range", session=0, start=h[0][1], stop=h[0][1] + 2, output=True)
    assert [e[2] for e in h] == [[hist.cells[0], None], [hist.cells[1], None]], h


def test_search_without_n_returns_every_match_and_unique_the_latest_of_each(hist):
    h = _history(hist, hist_access_type="search", pattern=f"*{hist.tag}*")
    assert [e[2] for e in h] == hist.cells, h  # ipykernel: no n means no limit
    h = _history(hist, hist_access_type="search", pattern=f"*{hist.tag}*", n=2)
    assert [e[2] for e in h] == hist.cells[-2:], h
    again = f"int h1_{hist.tag} = 1;"
    hist.execute_ok(again)
    h = _history(hist, hist_access_type="search", pattern=f"int h1_{hist.tag}*", unique=True)
    assert [e[2] for e in h] == [again], h
    tail = _history(hist, hist_access_type="tail", n=1)
    assert h[0][1] == tail[0][1], (h, tail)  # the latest line of the repeated source
    hist.cells.append(again)


def test_history_persists_across_restart(hist):
    before = _history(hist, hist_access_type="tail", n=len(hist.cells))
    old_session = before[0][0]
    hist.km.restart_kernel(now=False)
    hist.kc.wait_for_ready(timeout=90)
    hist.drain(0.2)
    new_cell = f'System.out.println("after-restart-{hist.tag}");'
    hist.execute_ok(new_cell)
    h = _history(hist, hist_access_type="tail", n=len(hist.cells) + 1)
    sources = [e[2] for e in h]
    assert sources == hist.cells + [new_cell], h
    assert h[-1][0] > old_session, f"the restarted kernel should be a new session: {h}"
    assert all(e[0] == old_session for e in h[:-1]), h
    # ask for the previous session by relative number
    h = _history(hist, hist_access_type="range", session=-1, start=1, stop=100000)
    assert hist.cells[0] in [e[2] for e in h], h
