"""kernel_info, comm_info, and the `status` field on every shell/control reply."""
import re

from conftest import KERNEL_NAME


def _version_tuple(v: str):
    return tuple(int(x) for x in re.findall(r"\d+", v)[:3])


def test_kernel_info_reply(kernel):
    r = kernel.request(kernel.kc.kernel_info)
    assert r.reply is not None, "no kernel_info_reply"
    c = r.content
    assert c.get("status") == "ok", c
    assert _version_tuple(c["protocol_version"]) >= (5, 3), c["protocol_version"]
    assert c["implementation"] == "ferry", c
    assert isinstance(c.get("implementation_version"), str) and c["implementation_version"].strip(), c
    li = c["language_info"]
    assert li["name"] == "java", li
    # a JDK version string: 17, 17.0.13, 25, 25.0.1, 21.0.2+13 ...
    assert re.fullmatch(r"\d+(\.\d+)*([+\-_.][0-9A-Za-z.+\-_]*)?", str(li.get("version", ""))), li
    assert li["mimetype"] == "text/x-java", li
    assert li["file_extension"] == ".jshell", li
    assert li["pygments_lexer"] == "java", li
    assert li["codemirror_mode"] == "java", li
    links = c.get("help_links")
    assert isinstance(links, list) and links, c
    for link in links:
        assert link.get("text") and link.get("url"), link
    # kernel_info is wrapped in busy/idle on iopub like every request
    states = [m.content["execution_state"] for m in r.of_type("status")]
    assert states[:1] == ["busy"] and states[-1:] == ["idle"], r.describe()


def test_kernel_info_reports_the_jdk_it_runs(kernel):
    li = kernel.request(kernel.kc.kernel_info).content["language_info"]
    feature = kernel.value_of("Runtime.version().feature()")
    assert str(li["version"]).split(".")[0].split("+")[0] == feature.strip(), (li, feature)


def test_comm_info(kernel):
    r = kernel.request(kernel.kc.comm_info)
    assert r.reply is not None
    assert r.content.get("status") == "ok", r.content
    assert isinstance(r.content.get("comms"), dict), r.content


def test_comm_info_with_target(kernel):
    r = kernel.request(lambda: kernel.kc.comm_info(target_name="no.such.target"))
    assert r.content.get("status") == "ok", r.content
    assert r.content.get("comms") == {}, r.content


def test_every_shell_reply_has_status(kernel):
    kc = kernel.kc
    senders = {
        "kernel_info": kc.kernel_info,
        "comm_info": kc.comm_info,
        "is_complete": lambda: kc.is_complete("int x = 1;"),
        "complete": lambda: kc.complete("Syst", 4),
        "inspect": lambda: kc.inspect("String", 6),
        "history": lambda: kc.history(hist_access_type="tail", n=1, output=False, raw=True),
        "execute": lambda: kc.execute("int statusProbe = 1;"),
    }
    for name, send in senders.items():
        r = kernel.request(send, timeout=20)
        assert r.reply is not None, f"{name}: no reply"
        assert "status" in r.content, f"{name} reply has no status: {r.content}"
        if name == "is_complete":  # its status is the verdict
            assert r.content["status"] in ("complete", "incomplete", "invalid", "unknown"), r.content
        else:
            assert r.content["status"] == "ok", f"{name}: {r.content}"


def test_control_replies_have_status(kernel):
    # interrupt_request on an idle kernel (control channel)
    r = kernel.control_request("interrupt_request", {})
    assert r.reply is not None, "no interrupt_reply on control"
    assert r.reply["header"]["msg_type"] == "interrupt_reply"
    assert r.content.get("status") == "ok", r.content
    # the kernel still executes after the idle interrupt
    assert kernel.value_of("40 + 2") == "42"


def test_kernelspec_metadata():
    from jupyter_client.kernelspec import KernelSpecManager
    spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    assert spec.language.lower() == "java", spec.to_dict()
    assert spec.interrupt_mode == "message", spec.to_dict()
    assert any("{connection_file}" in a for a in spec.argv), spec.argv
    assert any("dev.ferry.kernel.FerryKernel" in a for a in spec.argv), spec.argv


def test_every_reply_has_the_fields_the_messaging_spec_requires(kernel):
    """Messaging spec 5.3: the fields each reply must carry (besides status)."""
    kc = kernel.kc
    required = {
        "kernel_info": (kc.kernel_info, {"protocol_version", "implementation", "implementation_version",
                                         "language_info", "banner", "help_links"}),
        "execute": (lambda: kc.execute("int specProbe = 1;"), {"execution_count", "payload", "user_expressions"}),
        "execute_error": (lambda: kc.execute("int specProbe2 = ;", stop_on_error=False),
                          {"execution_count", "ename", "evalue", "traceback", "payload", "user_expressions"}),
        "complete": (lambda: kc.complete("Syst", 4), {"matches", "cursor_start", "cursor_end", "metadata"}),
        "complete_nothing": (lambda: kc.complete("qqqzzz", 6), {"matches", "cursor_start", "cursor_end", "metadata"}),
        "inspect": (lambda: kc.inspect("String", 6), {"found", "data", "metadata"}),
        "inspect_nothing": (lambda: kc.inspect("qqqzzz", 6), {"found", "data", "metadata"}),
        "is_complete": (lambda: kc.is_complete("for (;;) {"), {"indent"}),
        "history": (lambda: kc.history(hist_access_type="tail", n=1, output=True, raw=True), {"history"}),
        "comm_info": (kc.comm_info, {"comms"}),
    }
    for name, (send, fields) in required.items():
        r = kernel.request(send, timeout=20)
        assert r.reply is not None, f"{name}: no reply"
        missing = (fields | {"status"}) - set(r.content)
        assert not missing, f"{name} reply lacks {missing}: {r.content}"
    li = kernel.request(kc.kernel_info).content["language_info"]
    assert {"name", "version", "mimetype", "file_extension"} <= set(li), li
