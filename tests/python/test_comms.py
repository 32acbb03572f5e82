"""Jupyter comms: comm_info, comm_open/comm_msg/comm_close both ways, unknown targets (docs/comms.md)."""
import time
import uuid

from conftest import Result


def _send(kernel, msg_type, content, timeout=20):
    """Sends a comm message (which has no reply) and collects its iopub messages until its idle status."""
    msg = kernel.kc.session.msg(msg_type, content)
    msg_id = msg["header"]["msg_id"]
    r = Result(msg_id, time.monotonic())
    kernel.kc.shell_channel.send(msg)
    end = time.monotonic() + timeout
    while r.idle_at is None and time.monotonic() < end:
        kernel._pump(0.05)
        for rec in kernel._stash.get(msg_id, [])[len(r.iopub):]:
            r.iopub.append(rec)
            if rec.msg_type == "status" and rec.content.get("execution_state") == "idle":
                r.idle_at = rec.t
    assert r.idle_at is not None, f"{msg_type}: no idle\n{r.describe()}"
    return r


def _comm_info(kernel, **kw):
    r = kernel.request(lambda: kernel.kc.comm_info(**kw))
    assert r.content.get("status") == "ok", r.content
    return r.content["comms"]


def test_open_to_an_unknown_target_is_closed(kernel):
    cid = uuid.uuid4().hex
    r = _send(kernel, "comm_open", {"comm_id": cid, "target_name": "no.such.target", "data": {}})
    closes = [m.content for m in r.of_type("comm_close")]
    assert closes == [{"comm_id": cid, "data": {}}], r.describe()
    assert cid not in _comm_info(kernel)


def test_front_end_opens_a_comm_to_a_registered_target(kernel):
    kernel.execute_ok('Comms.register("ferry.echo", c -> {\n'
                      '    System.out.println("opened with " + c.data());\n'
                      '    c.onMessage(d -> c.send(Map.of("echo", d)));\n'
                      '    c.onClose(d -> System.out.println("closed " + c.id()));\n'
                      '});')
    cid = uuid.uuid4().hex
    r = _send(kernel, "comm_open", {"comm_id": cid, "target_name": "ferry.echo", "data": {"a": 1}})
    assert "opened with {a=1}" in r.stdout, r.describe()
    assert not r.of_type("comm_close"), r.describe()
    assert _comm_info(kernel) .get(cid) == {"target_name": "ferry.echo"}
    assert _comm_info(kernel, target_name="ferry.echo") == {cid: {"target_name": "ferry.echo"}}
    assert _comm_info(kernel, target_name="other") == {}

    r = _send(kernel, "comm_msg", {"comm_id": cid, "data": {"n": 5, "s": "x", "l": [1, 2]}})
    msgs = [m for m in r.of_type("comm_msg")]
    assert [m.content for m in msgs] == [{"comm_id": cid, "data": {"echo": {"n": 5, "s": "x", "l": [1, 2]}}}], r.describe()
    # the reply's parent is the front end's comm_msg, like every output of its handler
    assert msgs[0].msg["parent_header"]["msg_id"] == r.msg_id

    r = _send(kernel, "comm_close", {"comm_id": cid, "data": {}})
    assert f"closed {cid}" in r.stdout, r.describe()
    assert cid not in _comm_info(kernel)
    # messages to a closed comm go nowhere and break nothing
    _send(kernel, "comm_msg", {"comm_id": cid, "data": {}})
    assert kernel.value_of("1 + 1") == "2"


def test_a_handler_exception_is_shown_on_stderr(kernel):
    kernel.execute_ok('Comms.register("ferry.fails", c -> c.onMessage(d -> { throw new IllegalStateException("bad msg"); }));')
    cid = uuid.uuid4().hex
    _send(kernel, "comm_open", {"comm_id": cid, "target_name": "ferry.fails", "data": {}})
    r = _send(kernel, "comm_msg", {"comm_id": cid, "data": {}})
    assert "IllegalStateException: bad msg" in r.stderr, r.describe()
    assert kernel.value_of("2 + 2") == "4"


def test_the_kernel_opens_sends_and_closes(kernel):
    r = kernel.execute_ok('var fc = Comms.open("frontend.target", Map.of("k", "v"));\n'
                          'fc.send(Map.of("z", 1));\n'
                          'fc.close();')
    opens = [m.content for m in r.of_type("comm_open")]
    assert len(opens) == 1 and opens[0]["target_name"] == "frontend.target" and opens[0]["data"] == {"k": "v"}, r.describe()
    cid = opens[0]["comm_id"]
    assert [m.content for m in r.of_type("comm_msg")] == [{"comm_id": cid, "data": {"z": 1}}], r.describe()
    assert [m.content for m in r.of_type("comm_close")] == [{"comm_id": cid, "data": {}}], r.describe()
    for m in r.of_type("comm_open", "comm_msg", "comm_close"):
        assert m.msg["parent_header"]["msg_id"] == r.msg_id
    r = kernel.execute("fc.send(Map.of())")
    assert r.status == "error" and "closed" in r.error_text(), r.describe()


def test_a_kernel_opened_comm_hears_the_front_end(kernel):
    kernel.execute_ok('var heard = new java.util.concurrent.CopyOnWriteArrayList<Object>();\n'
                      'var kc2 = Comms.open("frontend.target2").onMessage(heard::add);')
    cid = list(_comm_info(kernel, target_name="frontend.target2"))[0]
    _send(kernel, "comm_msg", {"comm_id": cid, "data": {"clicked": True}})
    assert kernel.value_of("heard") == "[{clicked=true}]"
    assert kernel.value_of("Comms.list().containsKey(kc2.id())") == "true"
    kernel.execute_ok("kc2.close();")
    assert kernel.value_of("Comms.list().containsKey(kc2.id())") == "false"
    assert cid not in _comm_info(kernel)


def test_comms_of_a_replaced_worker_are_gone(fresh_kernel):
    k = fresh_kernel
    k.execute_ok('Comms.register("ferry.gone", c -> {});')
    cid = uuid.uuid4().hex
    _send(k, "comm_open", {"comm_id": cid, "target_name": "ferry.gone", "data": {}})
    assert cid in _comm_info(k)
    r = k.execute("System.exit(3);")
    assert r.status == "error", r.describe()
    assert _comm_info(k) == {}
    r = _send(k, "comm_open", {"comm_id": uuid.uuid4().hex, "target_name": "ferry.gone", "data": {}})
    assert r.of_type("comm_close"), r.describe()
