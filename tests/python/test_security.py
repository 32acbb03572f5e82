"""Message authentication (HMAC) and loopback-only sockets."""
import json
import os
import time
import uuid

import pytest
from jupyter_client.session import Session


def _execute_content(code):
    return {"code": code, "silent": False, "store_history": True, "user_expressions": {},
            "allow_stdin": False, "stop_on_error": True}


def _assert_ignored(k, msg_id, seconds=2.0):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        k._pump(0.05)
    assert msg_id not in k._shell_stash, f"kernel replied to a badly signed message: {k._shell_stash[msg_id].msg}"
    assert not k._stash.get(msg_id), (
        "kernel published iopub messages for a badly signed message: "
        + str([m.msg["header"]["msg_type"] for m in k._stash[msg_id]]))


def _assert_still_serves(k, var):
    assert k.alive(), "kernel does not answer a properly signed kernel_info_request"
    r = k.execute(var)
    assert r.status == "error" and "cannot find symbol" in r.error_text(), (
        f"the badly signed cell was executed ({var} exists)\n" + r.describe())


def test_wrong_hmac_is_ignored(kernel):
    k = kernel
    var = "hacked_" + uuid.uuid4().hex[:8]
    bad = Session(key=b"definitely-not-the-key", signature_scheme=k.kc.session.signature_scheme,
                  username="attacker")
    msg = bad.msg("execute_request", _execute_content(f"int {var} = 1;"))
    bad.send(k.kc.shell_channel.socket, msg)
    _assert_ignored(k, msg["header"]["msg_id"])
    _assert_still_serves(k, var)


def test_empty_signature_is_ignored(kernel):
    k = kernel
    var = "hacked_" + uuid.uuid4().hex[:8]
    nokey = Session(key=b"", username="attacker")  # signs with an empty signature
    msg = nokey.msg("execute_request", _execute_content(f"int {var} = 1;"))
    nokey.send(k.kc.shell_channel.socket, msg)
    _assert_ignored(k, msg["header"]["msg_id"])
    _assert_still_serves(k, var)


def test_truncated_signature_is_ignored(kernel):
    """A signature that is a prefix of the right one (a naive comparison might accept it)."""
    k = kernel
    var = "hacked_" + uuid.uuid4().hex[:8]
    s = k.kc.session
    msg = s.msg("execute_request", _execute_content(f"int {var} = 1;"))
    parts = [s.pack(msg["header"]), s.pack(msg["parent_header"]), s.pack(msg["metadata"]), s.pack(msg["content"])]
    good = s.sign(parts)
    k.kc.shell_channel.socket.send_multipart([b"<IDS|MSG>", good[:10]] + parts)
    _assert_ignored(k, msg["header"]["msg_id"])
    _assert_still_serves(k, var)


def test_wrong_hmac_on_control_is_ignored(kernel):
    k = kernel
    bad = Session(key=b"wrong", signature_scheme=k.kc.session.signature_scheme)
    msg = bad.msg("shutdown_request", {"restart": False})
    bad.send(k.kc.control_channel.socket, msg)
    end = time.monotonic() + 2
    while time.monotonic() < end:
        k._pump(0.05)
    assert msg["header"]["msg_id"] not in k._control_stash
    assert not k.process_exited(), "a badly signed shutdown_request shut the kernel down"
    assert k.alive()


def test_garbage_frames_do_not_break_kernel(kernel):
    k = kernel
    k.kc.shell_channel.socket.send_multipart([b"<IDS|MSG>", b"00", b"{not json", b"", b"", b""])
    k.kc.shell_channel.socket.send_multipart([b"just one frame"])
    time.sleep(0.5)
    assert k.alive()
    assert k.value_of("6*7") == "42"


def _listening_sockets():
    """{inode: (ip, port)} of LISTEN tcp sockets (v4 and v6)."""
    out = {}
    for path, v6 in (("/proc/net/tcp", False), ("/proc/net/tcp6", True)):
        try:
            with open(path) as f:
                rows = f.read().splitlines()[1:]
        except FileNotFoundError:
            continue
        for row in rows:
            cols = row.split()
            local, state, inode = cols[1], cols[3], cols[9]
            if state != "0A":
                continue
            hexip, hexport = local.split(":")
            port = int(hexport, 16)
            if v6:
                b = bytes.fromhex(hexip)
                words = [b[i:i + 4][::-1] for i in range(0, 16, 4)]
                raw = b"".join(words)
                import ipaddress
                addr = ipaddress.IPv6Address(raw)
                # Java binds IPv4 addresses on dual-stack sockets as ::ffff:a.b.c.d: report the IPv4 address
                ip = str(addr.ipv4_mapped) if addr.ipv4_mapped else str(addr)
            else:
                ip = ".".join(str(x) for x in bytes.fromhex(hexip)[::-1])
            out[inode] = (ip, port)
    return out


def _socket_inodes(pid):
    inodes = set()
    fd_dir = f"/proc/{pid}/fd"
    for fd in os.listdir(fd_dir):
        try:
            target = os.readlink(os.path.join(fd_dir, fd))
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:["):-1])
    return inodes


def test_ports_bound_to_loopback_only(kernel):
    k = kernel
    info = k.km.get_connection_info()
    assert info["ip"] == "127.0.0.1", info
    ports = {info[n] for n in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")}
    listening = _listening_sockets()
    mine = _socket_inodes(k.pid)
    owned = {ino: addr for ino, addr in listening.items() if ino in mine}
    bound = {}
    for ino, (ip, port) in owned.items():
        bound.setdefault(port, set()).add(ip)
    for p in ports:
        assert p in bound, f"kernel is not listening on port {p}: {owned}"
        assert bound[p] == {"127.0.0.1"}, f"port {p} bound on {bound[p]}, expected 127.0.0.1 only"
    # nothing else the kernel listens on may be reachable from outside the machine either
    for ino, (ip, port) in owned.items():
        assert ip.startswith("127.") or ip == "::1", f"kernel listens on {ip}:{port}"
    # nor does the worker
    for w in k.workers():
        for ino in _socket_inodes(w):
            if ino in listening:
                ip, port = listening[ino]
                assert ip.startswith("127.") or ip == "::1", f"worker listens on {ip}:{port}"


def test_connection_file_key_is_used(kernel):
    """The connection file has a non-empty key and hmac-sha256: the kernel must authenticate."""
    with open(kernel.km.connection_file) as f:
        cf = json.load(f)
    assert cf["key"], cf
    assert cf["signature_scheme"] == "hmac-sha256", cf
