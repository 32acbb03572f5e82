"""%%remote end to end: cells in Docker containers (and local worker processes) through jupyter_client.

Needs a Docker engine on /var/run/docker.sock with the base image ferry/base:bookworm-jdk17
(`install/docker.sh start`). Without one every test here FAILS (the module fixture asserts it): they
are not skipped. The checks on containers use the `docker` CLI and only ever look at (or remove)
containers of the kernels started here, found by their `dev.ferry.kernel.pid` label, so other kernels
on the same engine are left alone.

Most tests share one kernel (module fixture, engine forced to docker with FERRY_ENGINE); the tests of
kernel shutdown and SIGKILL start their own. Images: the base image, one throw-away recipe per run for the
cache check (a `runCommands` layer on the base, removed afterwards), the failing recipe, and the git +
commons-math3 image of notebooks/remote.ipynb (built once, then cached by its content-hash tag).

"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import uuid

import pytest

from conftest import Kernel, descendants_of, only_value, pid_alive, strip_ansi, wait_until

DOCKER_HINT = "start it with install/docker.sh start"
BASE_IMAGE = "ferry/base:bookworm-jdk17"
CELL_TIMEOUT = 120      # a first build of the git image takes ~15 s; a container start ~3 s
SECRET_VALUE = "e2e-remote-token-5c1d9a"
SLACK_S = 2.5           # on top of the 2 s an interrupted remote cell gets before its container is killed
# Java: the id (12 hex) of the container the code runs in, from the mount of its /etc/hostname (the host name is the
# container's name, ferry-<12 hex>, not its id)
CID = ('java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/mountinfo"))'
       '.replaceAll("(?s).*/containers/([0-9a-f]{12})[0-9a-f]{52}/.*", "$1")')


# --------------------------------------------------------------------------------------------
# docker CLI helpers
# --------------------------------------------------------------------------------------------

def docker(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(["docker", *args], capture_output=True, text=True, timeout=timeout)


def kernel_containers(kernel_pid: int) -> dict:
    """{short id: labels} of every container (running or not) that the kernel with this pid started."""
    p = docker("ps", "-a", "--no-trunc", "--filter", "label=dev.ferry=worker",
               "--filter", f"label=dev.ferry.kernel.pid={kernel_pid}", "--format", "{{json .}}")
    assert p.returncode == 0, p.stderr
    out = {}
    for line in p.stdout.splitlines():
        c = json.loads(line)
        labels = dict(kv.split("=", 1) for kv in c.get("Labels", "").split(",") if "=" in kv)
        out[c["ID"][:12]] = labels
    return out


def container_exists(cid: str) -> bool:
    p = docker("ps", "-a", "-q", "--filter", f"id={cid}")
    assert p.returncode == 0, p.stderr
    return bool(p.stdout.strip())


def gone(cid: str, timeout: float = 10) -> bool:
    return wait_until(lambda: not container_exists(cid), timeout, interval=0.25)


def has_gpu_runtime() -> bool:
    p = docker("info", "--format", "{{json .Runtimes}}")
    return p.returncode == 0 and "nvidia" in p.stdout


# --------------------------------------------------------------------------------------------
# fixtures and cell helpers
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module", autouse=True)
def docker_engine():
    """Every test of this module needs the engine and the base image: fail (never skip) without them."""
    try:
        p = docker("info", "--format", "{{.ServerVersion}}", timeout=20)
    except FileNotFoundError:
        pytest.fail(f"no `docker` command on PATH: %%remote needs a Docker engine; {DOCKER_HINT}")
    except subprocess.TimeoutExpired:
        pytest.fail(f"`docker info` did not answer within 20 s; {DOCKER_HINT}")
    assert p.returncode == 0 and p.stdout.strip(), (
        f"the Docker engine does not answer (`docker info`: {p.stderr.strip()[-500:]}); {DOCKER_HINT}")
    img = docker("image", "inspect", "--format", "{{.Id}}", BASE_IMAGE)
    assert img.returncode == 0, f"the base image {BASE_IMAGE} is missing; {DOCKER_HINT}"
    return p.stdout.strip()


@pytest.fixture(scope="module")
def rk(docker_engine):
    """The shared kernel: engine docker (no silent fallback to process), its own data and config dirs."""
    config = tempfile.mkdtemp(prefix="ferry-remote-config-")
    k = Kernel(extra_env={"FERRY_CONFIG_DIR": config, "FERRY_ENGINE": "docker"})
    k.config_dir = config
    k.execute_ok("import java.util.concurrent.atomic.AtomicInteger;\n"
                 "record P(String name, int n) {}\n"
                 "int twice(int x) { return 2 * x; }")
    yield k
    pid = k.pid
    k.close()
    shutil.rmtree(config, ignore_errors=True)
    leftover = kernel_containers(pid)
    for cid in leftover:  # never leave containers behind on a shared engine, even when the test below fails
        docker("rm", "-f", cid)
    assert not leftover, f"containers of the shared kernel outlived its shutdown: {leftover}"


def remote(k: Kernel, code: str, timeout: float = CELL_TIMEOUT):
    return k.execute_replied(code, timeout)


value = only_value


def error(r, ename: str) -> str:
    """The single error of a failed cell (its ename checked); returns evalue + traceback, ANSI stripped."""
    assert r.status == "error", r.describe()
    assert len(r.errors) == 1, r.describe()
    e = r.errors[0]
    assert e["ename"] == ename, r.describe()
    assert r.content["ename"] == ename, r.reply
    return strip_ansi(e["evalue"] + "\n" + "\n".join(e.get("traceback", [])))


def first_stream(k: Kernel, msg_id: str, timeout: float = CELL_TIMEOUT) -> str:
    """Waits (reading every channel) for the first stream output of a request that is still running."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        k._pump(0.05)
        got = [m for m in k._stash.get(msg_id, []) if m.msg_type in ("stream", "error")]
        if got:
            assert got[0].msg_type == "stream", got[0].content
            return got[0].content["text"]
    raise AssertionError(f"no output from the running cell within {timeout}s")


def displays(r) -> list:
    return r.of_type("display_data", "update_display_data")


# --------------------------------------------------------------------------------------------
# one-shot cells in the base image
# --------------------------------------------------------------------------------------------

def test_one_shot_cell_runs_in_a_fresh_container_that_is_removed(rk):
    local_jdk = value(rk.execute_ok("Runtime.version().feature()"))
    r = remote(rk, '%%remote\nSystem.out.println(' + CID + ' + " pid " + ProcessHandle.current().pid()'
                   ' + " jdk " + Runtime.version().feature());\n1+1')
    assert value(r) == "2"
    m = re.fullmatch(r"([0-9a-f]{12}) pid 1 jdk (\d+)\n", r.stdout)
    assert m, r.describe()  # the worker is the container's PID 1
    cid = m.group(1)
    assert m.group(2) == local_jdk, "the container's JDK must match the kernel's"
    assert not r.stderr, r.describe()
    assert gone(cid, 10), f"one-shot container {cid} still exists 10 s after its cell"


def test_output_streams_while_the_cell_runs(rk):
    r = remote(rk, '%%remote\nSystem.out.println("first");\nThread.sleep(1000);\nSystem.out.println("second");\n'
                   'System.err.println("to stderr");')
    assert r.status == "ok", r.describe()
    assert r.stdout == "first\nsecond\n" and r.stderr == "to stderr\n", r.describe()
    first = [m for m in r.of_type("stream") if "first" in m.content["text"]][0]
    second = [m for m in r.of_type("stream") if "second" in m.content["text"]][0]
    # "first" was on the client's socket while the cell still slept, not flushed at the end
    assert second.t - first.t >= 0.8, r.describe()
    assert r.idle_at - first.t >= 0.8 and r.reply_at - first.t >= 0.8, r.describe()
    # and in order, before the reply
    assert r.iopub.index(first) < r.iopub.index(second)


def test_exception_in_the_remote_cell_is_the_cells_error(rk):
    r = remote(rk, '%%remote\nthrow new IllegalStateException("boom")')
    text = error(r, "java.lang.IllegalStateException")
    assert r.errors[0]["evalue"] == "boom", r.describe()
    assert "IllegalStateException: boom" in text and "line 1" in text, text
    assert rk.alive()


def test_timeout_stops_a_one_shot_container(rk):
    t0 = time.monotonic()
    r = remote(rk, '%%remote timeout=2\nThread.sleep(60000)')
    took = time.monotonic() - t0
    text = error(r, "TimeoutError")
    m = re.search(r"the cell ran past timeout=2 s; the container ([0-9a-f]{12}) was stopped", text)
    assert m, text
    assert took < 30, f"timeout=2 took {took:.1f}s"  # container start + 2 s + 2 s grace
    assert gone(m.group(1), 10)


def test_timeout_in_a_session_interrupts_and_keeps_state(rk):
    try:
        r = remote(rk, '%%remote session=tmo timeout=2\nint kept = 7;\nThread.sleep(60000)')
        text = error(r, "TimeoutError")
        assert "ran past timeout=2 s and was interrupted; session 'tmo' keeps its state" in text, text
        assert value(remote(rk, "%%remote session=tmo\nkept + 1")) == "8"
    finally:
        rk.execute("%remote stop tmo")


def test_system_exit_is_a_worker_death(rk):
    r = remote(rk, '%%remote\nSystem.out.println("bye"); System.exit(3)')
    text = error(r, "WorkerDied")
    assert r.stdout == "bye\n", r.describe()
    m = re.search(r"the container ([0-9a-f]{12}) died during the cell: The worker JVM exited with code 3", text)
    assert m, text
    assert r.iopub.index(r.of_type("stream")[0]) < r.iopub.index(r.of_type("error")[0])
    assert gone(m.group(1), 10)
    assert rk.alive()


def test_container_killed_mid_cell(rk):
    """The container dies from outside (docker kill) while the cell runs: the cell ends with WorkerDied."""
    msg_id = rk.kc.execute('%%remote\nSystem.out.println(' + CID + ');\nThread.sleep(60000)')
    cid = first_stream(rk, msg_id).strip()
    assert re.fullmatch(r"[0-9a-f]{12}", cid), f"no hostname printed: {cid!r}"
    t0 = time.monotonic()
    k = docker("kill", cid)
    assert k.returncode == 0, k.stderr
    r = rk.wait(msg_id, 30)
    assert r.reply is not None, r.describe()
    assert r.reply_at - t0 < 10, r.describe()
    text = error(r, "WorkerDied")
    assert f"the container {cid} died during the cell" in text and "killed" in text, text
    assert gone(cid, 10)
    assert rk.alive()


# --------------------------------------------------------------------------------------------
# in= / out=
# --------------------------------------------------------------------------------------------

def test_in_sends_strings_numbers_lists_and_maps_by_value(rk):
    rk.execute_ok('String s = "héllo wörld"; int n = 7; var xs = java.util.List.of(1, 2, 3);\n'
                  'var m = new java.util.LinkedHashMap<String, Integer>(); m.put("a", 1); m.put("b", 2);')
    r = remote(rk, '%%remote in=s,n,xs,m\n'
                   'System.out.println(s + "|" + n + "|" + xs + "|" + m);\n'
                   'm.put("c", 3);\n'
                   'xs.stream().mapToInt(i -> i).sum() * n + m.size()')
    assert r.stdout == "héllo wörld|7|[1, 2, 3]|{a=1, b=2}\n", r.describe()
    assert value(r) == str(6 * 7 + 3)
    assert value(rk.execute_ok("m.size()")) == "2"  # by value: the change in the container stays there
    r = remote(rk, "%%remote in=nosuchvar\n1")
    assert "in=nosuchvar: no variable with that name" in error(r, "MagicError")


def test_in_sends_tables_from_sql_and_from_records(rk):
    rk.execute_ok("%%sql out=sq\nSELECT range AS id, range * range AS sq FROM range(5)")
    rk.execute_ok('var people = Table.fromRecords(java.util.List.of(new P("ada", 36), new P("bob", 41)));')
    r = remote(rk, '%%remote in=sq,people\n'
                   'long total = 0;\n'
                   'for (int i = 0; i < sq.rowCount(); i++) total += ((Number) sq.column("sq").get(i)).longValue();\n'
                   'sq.getClass().getName() + " " + sq.rowCount() + " " + total + " | " + people.rowCount() + " "'
                   ' + people.columnNames() + " " + people.column("name").get(1)')
    assert value(r) == "dev.ferry.arrow.Table 5 30 | 2 [name, n] bob"


def test_out_binds_a_list_of_records_as_a_table_using_notebook_declarations(rk):
    """P, twice and the AtomicInteger import were declared in local cells (the fixture)."""
    rk.execute_ok("var ns = java.util.List.of(1, 2, 3);")
    r = remote(rk, '%%remote in=ns out=t\nvar seen = new AtomicInteger();\n'
                   'ns.stream().map(i -> new P("n" + seen.incrementAndGet(), twice(i))).toList()')
    assert r.status == "ok", r.describe()
    data = r.results[0]["data"]
    assert "3 rows × 2 columns" in data["text/html"] and ">n3<" in data["text/html"], data
    assert "n3" in data["text/plain"], data
    assert value(rk.execute_ok("t.rowCount()")) == "3"
    assert value(rk.execute_ok("t.columnNames()")) == "[name, n]"
    assert value(rk.execute_ok('t.column("n").get(2)')) == "6"
    assert value(rk.execute_ok("t.getClass().getName()")) == "dev.ferry.arrow.Table"


def test_out_binds_a_result_set_as_a_table(rk):
    r = remote(rk, '%%remote out=rs\n'
                   'var c = java.sql.DriverManager.getConnection("jdbc:sqlite::memory:");\n'
                   'c.createStatement().executeQuery("SELECT 1 AS a, \'x\' AS b UNION ALL SELECT 2, \'y\'")')
    assert r.status == "ok", r.describe()
    assert value(rk.execute_ok('rs.rowCount() + " " + rs.columnNames() + " " + rs.column("b").get(1)')) == "2 [a, b] y"


def test_out_of_a_value_that_is_not_a_table_is_an_error(rk):
    r = remote(rk, "%%remote out=notatable\n42")
    text = error(r, "MagicError")
    assert "out=notatable" in text and "not a table" in text, text
    r = rk.execute("notatable")
    assert r.status == "error" and "cannot find symbol" in r.error_text(), r.describe()


# --------------------------------------------------------------------------------------------
# environment, network, limits, secrets, volumes
# --------------------------------------------------------------------------------------------

def test_env_is_visible_in_the_container(rk):
    r = remote(rk, '%%remote env=A=1,B=two\nSystem.getenv("A") + "," + System.getenv("B") + "," + System.getenv("C")')
    assert value(r) == "1,two,null"


def test_the_containers_own_host_name_resolves_with_network_none_and_host(rk):
    """Spark local mode, Hadoop, Kafka clients and logback call InetAddress.getLocalHost() first."""
    local = ('var h = java.net.InetAddress.getLocalHost();\n'
             'h.getHostName() + " " + h.getHostAddress() + " " + System.getenv("HOSTNAME")')
    name, addr, hostname = value(remote(rk, "%%remote\n" + local)).split()
    assert re.fullmatch(r"ferry-[0-9a-f]{12}", name) and hostname == name and addr == "127.0.0.1", (name, addr)
    name, _, _ = value(remote(rk, "%%remote network=host\n" + local)).split()
    assert name == os.uname().nodename, name


def test_network_none_by_default_and_host_on_request(rk):
    nics = ('%%remote{}\njava.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())'
            '.stream().map(i -> i.getName()).sorted().toList()')
    assert value(remote(rk, nics.format(""))) == "[lo]"
    host = value(remote(rk, nics.format(" network=host")))
    names = host.strip("[]").split(", ")
    assert "lo" in names and len(names) > 1, host
    assert set(names) <= set(os.listdir("/sys/class/net")), (names, os.listdir("/sys/class/net"))


def test_cpu_and_memory_limits_reach_the_container_and_its_jvm(rk):
    try:
        r = remote(rk, '%%remote session=lim cpu=1 memory=256\n'
                       'Runtime.getRuntime().maxMemory() + " " + Runtime.getRuntime().availableProcessors() + " "'
                       ' + ' + CID)
        max_mem, cpus, cid = value(r).split()
        assert int(max_mem) < 256 * 1024 * 1024, value(r)  # the JVM sized its heap from the container limit
        assert cpus == "1", value(r)
        p = docker("inspect", "--format", "{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}}", cid)
        assert p.returncode == 0, p.stderr
        assert p.stdout.split() == [str(256 * 1024 * 1024), str(10 ** 9)], p.stdout
        # the limit is applied once the worker answered (its JVM starts twice as fast without it); the JVM was told
        # the count from the start, so it sized its pools for one core
        p = docker("inspect", "--format", "{{json .Config.Cmd}}", cid)
        assert "-XX:ActiveProcessorCount=1" in json.loads(p.stdout), p.stdout
    finally:
        rk.execute("%remote stop lim")


def test_secrets_become_environment_variables_and_are_never_shown(rk):
    rk.execute_ok(f'Secret.create("e2e-remote", java.util.Map.of("E2E_TOKEN", "{SECRET_VALUE}"), true);')
    r = remote(rk, '%%remote secrets=e2e-remote\n'
                   'var tok = System.getenv("E2E_TOKEN");\n'
                   f'tok.length() + " " + tok.equals("{SECRET_VALUE}")')
    assert value(r) == f"{len(SECRET_VALUE)} true"
    shown = [m.content for m in r.iopub if m.msg_type != "execute_input"] + [r.reply]  # the input echoes the code
    assert SECRET_VALUE not in json.dumps(shown, default=str)
    r = remote(rk, "%%remote secrets=no-such-secret\n1")
    assert "secrets=no-such-secret" in error(r, "MagicError")


def test_volume_written_in_the_container_is_read_locally(rk):
    name = "e2e-vol-" + uuid.uuid4().hex[:8]
    try:
        r = remote(rk, f'%%remote volumes=/data:{name}\n'
                       'java.nio.file.Files.createDirectories(java.nio.file.Path.of("/data/out"));\n'
                       'var f = java.nio.file.Path.of("/data/out/hello.txt");\n'
                       'java.nio.file.Files.writeString(f, "from the container");\n'
                       'java.nio.file.Files.exists(f)')
        assert value(r) == "true"
        local = value(rk.execute_ok(f'new String(Volume.fromName("{name}").read("out/hello.txt"))'))
        assert local == "from the container"
        assert os.path.isfile(os.path.join(rk.data_dir, "volumes", name, "out", "hello.txt"))
        r = remote(rk, "%%remote volumes=relative:x\n1")
        assert "absolute path in the container" in error(r, "MagicError")
    finally:
        rk.execute(f'Volume.delete("{name}");')


# --------------------------------------------------------------------------------------------
# images
# --------------------------------------------------------------------------------------------

READ_MARKER = 'java.nio.file.Files.readString(java.nio.file.Path.of("/e2e-cache.txt")).strip()'


def test_image_is_built_once_then_reused_from_its_tag(rk):
    nonce = uuid.uuid4().hex[:12]
    rk.execute_ok(f'var cacheImg = Image.debianSlim().runCommands("echo e2e-cache-{nonce} > /e2e-cache.txt");')
    tag = value(rk.execute_ok("cacheImg.tag()"))
    assert tag.startswith("ferry/image:"), tag
    assert docker("image", "inspect", tag).returncode != 0, f"{tag} exists before its first build"
    try:
        r = remote(rk, "%%remote image=cacheImg\n" + READ_MARKER)
        assert value(r) == f"e2e-cache-{nonce}"
        shown = displays(r)
        assert shown and shown[0].msg_type == "display_data", r.describe()
        display_id = shown[0].content["transient"]["display_id"]
        assert all(d.content["transient"]["display_id"] == display_id for d in shown), r.describe()
        assert shown[-1].msg_type == "update_display_data", r.describe()
        final = shown[-1].content["data"]["text/plain"]
        assert f"building {tag}" in final and "(build finished)" in final, final
        assert "<details" in shown[-1].content["data"]["text/html"]
        # the build log comes before the cell's result
        assert r.iopub.index(shown[-1]) < r.iopub.index(r.of_type("execute_result")[0])
        assert docker("image", "inspect", tag).returncode == 0

        # the same recipe again (a new Image value): no build, no display
        rk.execute_ok(f'var cacheImg2 = Image.debianSlim().runCommands("echo e2e-cache-{nonce} > /e2e-cache.txt");')
        assert value(rk.execute_ok("cacheImg2.tag()")) == tag
        r = remote(rk, "%%remote image=cacheImg2\n" + READ_MARKER)
        assert value(r) == f"e2e-cache-{nonce}"
        assert not displays(r), r.describe()
    finally:
        # the one-shot containers are removed in the background: an image still used by one would only be untagged
        wait_until(lambda: not docker("ps", "-aq", "--filter", f"ancestor={tag}").stdout.strip(), 15, interval=0.25)
        docker("rmi", tag)


def test_the_build_log_has_no_terminal_escapes_and_one_step_count(rk):
    rk.execute_ok('var errImg = Image.debianSlim().runCommands("echo e2e-to-stderr-%s >&2", "exit 3");'
                  % uuid.uuid4().hex[:8])
    r = remote(rk, "%%remote image=errImg\n1")
    error(r, "RemoteError")
    assert "\x1b" not in r.errors[0]["evalue"], r.errors[0]["evalue"]  # Docker colours a step's stderr
    shown = displays(r)
    assert shown, r.describe()
    for d in shown:
        html, text = d.content["data"]["text/html"], d.content["data"]["text/plain"]
        assert "\x1b" not in html and "[91m" not in html and "\x1b" not in text, html
    final = shown[-1].content["data"]["text/plain"]
    assert "e2e-to-stderr-" in final, final
    m = re.search(r"^building ferry/image:[0-9a-f]{16} \((\d+) steps\)", final)
    # FROM, two RUNs and the LABEL step Docker adds for the build's labels: "Step n/4" throughout
    assert m and m.group(1) == "4", final
    assert all(n == "4" for n in re.findall(r"Step \d+/(\d+)", final)), final
    assert final.count("Step 3/4 : RUN exit 3") == 1, final  # the current step once


def test_pip_install_on_debian_slim_gets_python_and_pip(rk):
    """Modal's debian_slim has pip: so does Image.debianSlim() when a recipe uses pipInstall. No PyPI here:
    "pip" itself is the requirement, already satisfied by Debian's python3-pip (apt reaches the Debian mirror)."""
    rk.execute_ok('var pyImg = Image.debianSlim().pipInstall("pip");')
    assert "python3 python3-pip" in value(rk.execute_ok("pyImg.dockerfile()"))
    r = remote(rk, '%%remote image=pyImg\n'
                   'var p = new ProcessBuilder("python3", "-m", "pip", "--version").redirectErrorStream(true).start();\n'
                   'new String(p.getInputStream().readAllBytes()).strip() + " exit " + p.waitFor()', timeout=600)
    assert re.match(r"pip \d+\.\d+.* \(python 3\.\d+\) exit 0$", value(r)), r.describe()


def test_failing_image_build_names_the_step_and_shows_the_log_tail(rk):
    rk.execute_ok('var badImg = Image.debianSlim().runCommands("echo e2e-before-the-failing-step", "exit 7");')
    before = set(kernel_containers(rk.pid))
    r = remote(rk, "%%remote image=badImg\n1")
    text = error(r, "RemoteError")
    assert re.search(r"the image build failed at Step \d+/\d+ : RUN exit 7", text), text
    assert "returned a non-zero code: 7" in text, text
    tail = text.split("last lines of the build log:", 1)
    assert len(tail) == 2, text
    assert "RUN echo e2e-before-the-failing-step" in tail[1], text  # the step before it (cached after the first run)
    assert "fix the step in the Image recipe" in text, text
    assert displays(r), "the build log was not shown while it ran"
    assert not r.results, r.describe()
    assert not set(kernel_containers(rk.pid)) - before, "a failed build started a worker container"
    # the builder's container of the failed RUN step should not stay behind either
    m = re.search(r"Step \d+/\d+ : RUN exit 7\s+---> Running in ([0-9a-f]{12})", text)
    assert m, text
    assert gone(m.group(1), 5), f"the failed RUN step's container {m.group(1)} was left behind"


def test_git_and_maven_image_with_notebook_declarations(rk):
    """The hand-verified recipe (also notebooks/remote.ipynb's): apt git + a Maven jar, in a session."""
    rk.execute_ok('var img = Image.debianSlim().aptInstall("git")\n'
                  '    .mavenInstall("org.apache.commons:commons-math3:3.6.1");\n'
                  'var nums = java.util.List.of(1, 2, 3);')
    try:
        r = remote(rk, '%%remote session=git image=img in=nums out=gt\n'
                       'var p = new ProcessBuilder("git", "--version").inheritIO().start(); p.waitFor();\n'
                       'nums.stream().map(i -> new P("n" + i, twice(i))).toList()', timeout=300)
        assert r.status == "ok", r.describe()
        assert re.search(r"git version \d+\.\d+", r.stdout), r.describe()
        for d in displays(r):  # shown only when the image was not built yet
            assert "building ferry/image:" in d.content["data"]["text/plain"], d.content
        assert value(rk.execute_ok("gt.rowCount()")) == "3"
        # the Maven jars are in the image, at /opt/ferry/lib, which is on the worker's class path
        r = remote(rk, "%%remote session=git\n"
                       "java.nio.file.Files.exists(java.nio.file.Path.of(\"/opt/ferry/lib/commons-math3-3.6.1.jar\"))")
        assert value(r) == "true"
        r = remote(rk, "%%remote session=git\n"
                       "var stats = new org.apache.commons.math3.stat.descriptive.DescriptiveStatistics();\n"
                       "for (double x : new double[] {1, 2, 3, 6}) stats.addValue(x);\n"
                       "stats.getMean() + \" \" + org.apache.commons.math3.util.ArithmeticUtils.gcd(12, 18)")
        assert value(r) == "3.0 6", r.describe()
    finally:
        rk.execute("%remote stop git")


# --------------------------------------------------------------------------------------------
# argument errors, GPUs, engines
# --------------------------------------------------------------------------------------------

def test_bad_arguments_are_magic_errors_before_anything_starts(rk):
    before = set(kernel_containers(rk.pid))
    text = error(remote(rk, "%%remote gpu=Q9\n1"), "MagicError")
    assert "gpu=Q9: unknown GPU type 'Q9'" in text and "T4" in text and "H100" in text, text
    text = error(remote(rk, "%%remote memory=64\n1"), "MagicError")
    assert "memory=64" in text and "between 160 and" in text and "what a worker JVM needs to start" in text, text
    text = error(remote(rk, "%%remote cpu=0\n1"), "MagicError")
    assert "cpu=0" in text, text
    text = error(remote(rk, "%%remote image=nope\n1"), "MagicError")
    assert "image=nope: no variable with that name" in text, text
    rk.execute_ok("int notAnImage = 3;")
    text = error(remote(rk, "%%remote image=notAnImage\n1"), "MagicError")
    assert "not an Image" in text, text
    text = error(remote(rk, "%%remote engine=dokcer\n1"), "MagicError")
    assert "did you mean 'docker'" in text, text
    assert not set(kernel_containers(rk.pid)) - before


def test_gpu_on_an_engine_without_gpu_runtime(rk):
    if has_gpu_runtime():
        pytest.skip("this engine has an NVIDIA runtime: the no-GPU error path cannot happen here")
    before = set(kernel_containers(rk.pid))
    r = remote(rk, "%%remote gpu=T4\n1")
    text = error(r, "RemoteError")
    assert "this engine has no GPU runtime" in text and "NVIDIA Container Toolkit" in text, text
    assert wait_until(lambda: not set(kernel_containers(rk.pid)) - before, 10), "the GPU container was not removed"


def test_an_engine_without_the_base_image_names_the_command_that_makes_it(rk):
    """The engine answers but lacks the local base image (here one for a JDK 99, which no engine has)."""
    rk.execute_ok('var noBase = Image.fromRegistry("ferry/base:bookworm-jdk99");')
    text = error(remote(rk, "%%remote image=noBase\n1"), "RemoteError")
    assert ("the base image ferry/base:bookworm-jdk99 is not in the Docker engine; run "
            "`install/docker.sh start --jdk <the folder of a JDK 99>` on the engine's host") in text, text


def test_process_engine(rk):
    r = remote(rk, "%%remote engine=process\nProcessHandle.current().parent().get().pid()")
    assert value(r) == str(rk.pid)  # a child process of the kernel, not a container
    rk.execute_ok("var plain = Image.debianSlim();")
    text = error(remote(rk, "%%remote engine=process image=plain\n1"), "RemoteError")
    assert "the process engine" in text and "cannot use images" in text, text


def test_remote_config_sets_the_notebook_default_engine(rk):
    assert rk.execute_ok("%remote config").stdout == "engine: docker (FERRY_ENGINE)\n"
    try:
        r = rk.execute_ok("%remote config engine=process")
        assert r.stdout == "remote cells now run on the process engine by default\n", r.describe()
        assert value(remote(rk, "%%remote\nProcessHandle.current().parent().get().pid()")) == str(rk.pid)
        assert "process (set by %remote config)" in rk.execute_ok("%remote config").stdout
    finally:
        rk.execute_ok("%remote config engine=docker")
    assert "docker (set by %remote config)" in rk.execute_ok("%remote config").stdout
    assert "engine=nope" in rk.execute("%remote config engine=nope").error_text()


def test_argument_errors_name_the_cell_magic_its_arguments_and_every_bad_one(rk):
    text = error(remote(rk, "%%remote cpu=two memory=lots\n1"), "MagicError")
    assert text.startswith("%%remote: 2 bad arguments:"), text
    assert "cpu=two: expected a number" in text and "memory=lots: expected a whole number" in text, text
    assert "e.g. cpu=2" in text and "e.g. memory=2048" in text and "cpu=0.01" not in text, text
    text = error(remote(rk, "%%remote cpus=2\n1"), "MagicError")
    assert "unknown argument 'cpus' for %%remote; did you mean 'cpu'?" in text, text
    valid = text.split("Valid: ", 1)[1]
    assert "image" in valid and "command" not in valid and "name" not in valid, text
    text = error(remote(rk, "%%remote ls\n1"), "MagicError")
    assert "'ls' is for the line form %remote only" in text, text


def test_an_image_expression_gets_a_valid_example(rk):
    text = error(remote(rk, "%%remote image=Image.debianSlim()\n1"), "MagicError")
    assert "image= takes the name of a variable holding an Image" in text, text
    assert "`var img = Image.debianSlim();`, then write `%%remote image=img`" in text, text
    assert "var Image.debianSlim()" not in text, text


def test_the_minimum_memory_starts_a_worker(rk):
    assert value(remote(rk, "%%remote memory=160\n1 + 1")) == "2"


def test_out_of_memory_in_a_container_says_memory_not_ferry_jvm_opts(rk):
    r = remote(rk, "%%remote memory=256\nvar keep = new java.util.ArrayList<long[]>();\n"
                   "while (true) keep.add(new long[1 << 20]);")
    text = error(r, "WorkerDied")
    assert "This cell had memory=256 MiB: raise it, e.g. `%%remote memory=512`" in text, text
    assert "FERRY_JVM_OPTS" not in text, text


# --------------------------------------------------------------------------------------------
# sessions and interrupts
# --------------------------------------------------------------------------------------------

def test_session_keeps_state_is_listed_and_stopped(rk):
    try:
        r = remote(rk, '%%remote session=s1\nint counter = 41;\nSystem.out.println(' + CID + ');')
        assert r.status == "ok", r.describe()
        cid = r.stdout.strip()
        assert value(remote(rk, "%%remote session=s1\n++counter")) == "42"
        assert value(remote(rk, "%%remote session=s1\n" + CID)) == cid  # same container
        ls = rk.execute_ok("%remote ls").stdout
        assert re.search(rf"^s1\s+docker\s+{cid}\s+{re.escape(BASE_IMAGE)}\s+3 cells\s+running$", ls, re.M), ls
        assert re.search(rf"^  {cid}  {re.escape(BASE_IMAGE)}  Up .*  session s1$", ls, re.M), ls
        assert kernel_containers(rk.pid)[cid].get("dev.ferry.session") == "s1"
    finally:
        r = rk.execute_ok("%remote stop s1")
    assert r.stdout == f"stopped session 's1' (docker {cid})\n", r.describe()
    assert gone(cid, 10)
    ls = rk.execute_ok("%remote ls").stdout
    assert "no remote sessions" in ls and not re.search(r"^s1\s", ls, re.M), ls
    assert rk.execute_ok("%remote stop s1").stdout == "no session named 's1'\n"


def test_a_stopped_session_name_starts_a_new_session_with_a_notice(rk):
    try:
        assert remote(rk, "%%remote session=again\nint v = 5;").status == "ok"
        rk.execute_ok("%remote stop again")
        r = remote(rk, "%%remote session=again\n1 + 1")
        assert value(r) == "2"
        assert ("started a new session 'again' (the previous one ended: stopped with `%remote stop again`);"
                " its variables and definitions are gone") in r.stderr, r.describe()
        r = remote(rk, "%%remote session=again\n2 + 2")  # said once
        assert value(r) == "4" and not r.stderr, r.describe()
    finally:
        rk.execute("%remote stop again")


def test_remote_ls_does_not_list_a_finished_cells_container(rk):
    cid = value(remote(rk, "%%remote\n" + CID))
    ls = rk.execute_ok("%remote ls").stdout
    assert cid not in ls, ls  # its cell is over: the container that is being removed is not "Up"


def test_session_that_died_starts_fresh_with_a_notice(rk):
    try:
        r = remote(rk, '%%remote session=dies\nint v = 5;\n' + CID)
        dead = value(r)
        text = error(remote(rk, "%%remote session=dies\nSystem.exit(1)"), "WorkerDied")
        assert "exited with code 1" in text and "session 'dies' is gone (the next cell starts it fresh)" in text, text
        r = remote(rk, '%%remote session=dies\nint w = 6;\nw + " " + ' + CID)
        assert value(r).startswith("6 ") and not value(r).endswith(dead), r.describe()
        assert "started a new session 'dies' (the previous one ended: The worker JVM exited with code 1" in r.stderr, (
            r.describe())
        assert "its variables and definitions are gone" in r.stderr, r.describe()
        assert "WorkerDeath[" not in r.stderr and "exited with code 1" in r.stderr, r.describe()
        # the dead worker's container does not stay behind
        assert gone(dead, 5), f"the container {dead} of the dead session stayed"
    finally:
        rk.execute("%remote stop dies")


def test_interrupt_stops_a_remote_cell_and_the_session_keeps_its_state(rk):
    """interrupt_request, then SIGINT (interrupt_mode is message; a terminal's Ctrl-C is a SIGINT)."""
    try:
        rk.execute_ok("%%remote session=intr\nint before = 5;", timeout=CELL_TIMEOUT)
        for n, how in enumerate(["interrupt_request", "SIGINT"]):
            msg_id = rk.kc.execute('%%remote session=intr\nSystem.out.println("sleeping");\nThread.sleep(100000);')
            assert first_stream(rk, msg_id) == "sleeping\n"
            time.sleep(1.0)  # Thread.sleep has started (an interrupt while it compiles: the next test)
            t0 = time.monotonic()
            if how == "SIGINT":
                os.kill(rk.pid, signal.SIGINT)
            else:
                ctl = rk.control_request("interrupt_request", {})
                assert ctl.reply is not None and ctl.content["status"] == "ok", ctl.describe()
            r = rk.wait(msg_id, 30)
            assert r.reply is not None, r.describe()
            took = r.reply_at - t0
            assert r.status == "error", r.describe()
            assert took < 2 + SLACK_S, f"{how}: the error reply came {took:.2f}s after the interrupt"
            assert "interrupt" in r.error_text().lower(), r.describe()
            # the remote sleep was interrupted, not left running: the control plane ends the run within the
            # grace (the session's cell count goes up) and the container stays, with its state
            cells = 2 * n + 2
            assert wait_until(lambda: re.search(rf"^intr\s.*\s{cells} cells\s+running$",
                                                rk.execute_ok("%remote ls").stdout, re.M), 2 + SLACK_S, interval=0.1), (
                how, rk.execute_ok("%remote ls").stdout)
            assert value(remote(rk, "%%remote session=intr\nbefore * 2", timeout=30)) == "10"
    finally:
        rk.execute("%remote stop intr")


def test_interrupt_while_the_next_statement_compiles(rk):
    """The interrupt comes right after the first statement's output, while JShell compiles the sleep."""
    try:
        rk.execute_ok("%%remote session=race\nint before = 5;", timeout=CELL_TIMEOUT)
        msg_id = rk.kc.execute('%%remote session=race\nSystem.out.println("sleeping");\nThread.sleep(100000);')
        assert first_stream(rk, msg_id) == "sleeping\n"
        t0 = time.monotonic()
        rk.control_request("interrupt_request", {})
        r = rk.wait(msg_id, 30)
        assert r.reply is not None and r.status == "error", r.describe()
        assert r.reply_at - t0 < 2 + SLACK_S, r.describe()
        time.sleep(2 + SLACK_S)  # past the grace: the control plane has stopped the cell, or killed its container
        ls = rk.execute_ok("%remote ls").stdout
        assert re.search(r"^race\s.*\s2 cells\s+running$", ls, re.M), ls
        assert value(remote(rk, "%%remote session=race\nbefore", timeout=30)) == "5"
    finally:
        rk.execute("%remote stop race")


def test_interrupt_of_a_cell_that_ignores_it_kills_its_container(rk):
    try:
        r = remote(rk, '%%remote session=stub\nint before = 1;\n' + CID)
        cid = value(r)
        msg_id = rk.kc.execute('%%remote session=stub\nSystem.out.println("looping");\n'
                               'while (true) { try { Thread.sleep(10); } catch (Throwable t) { } }')
        assert first_stream(rk, msg_id) == "looping\n"
        time.sleep(0.5)
        t0 = time.monotonic()
        rk.control_request("interrupt_request", {})
        r = rk.wait(msg_id, 30)
        assert r.reply is not None and r.status == "error", r.describe()
        assert r.reply_at - t0 < 2 + SLACK_S, r.describe()
        # the worker cannot stop the loop: its container goes after the 2 s grace
        assert wait_until(lambda: not container_exists(cid), 2 + SLACK_S + 3, interval=0.1), (
            f"container {cid} still there {time.monotonic() - t0:.1f}s after the interrupt")
        ls = rk.execute_ok("%remote ls").stdout
        assert re.search(r"^stub\s.*\s2 cells\s+ended$", ls, re.M), ls
        text = r.error_text()
        assert "session 'stub' is gone" in text, text
    finally:
        rk.execute("%remote stop stub")


# --------------------------------------------------------------------------------------------
# no container leaks
# --------------------------------------------------------------------------------------------

def test_kernel_shutdown_removes_its_containers(docker_engine):
    k = Kernel(extra_env={"FERRY_ENGINE": "docker"})
    pid = k.pid
    try:
        k.execute_ok("%%remote session=live\nint x = 1;", timeout=CELL_TIMEOUT)
        # and a one-shot cell still running when the shutdown comes
        msg_id = k.kc.execute('%%remote\nSystem.out.println("running");\nThread.sleep(100000);')
        assert first_stream(k, msg_id) == "running\n"
        mine = kernel_containers(pid)
        assert len(mine) == 2 and sorted(l.get("dev.ferry.session", "") for l in mine.values()) == ["", "live"], mine
    finally:
        k.close()  # shutdown_request
    assert not pid_alive(pid)
    ok = wait_until(lambda: not kernel_containers(pid), 3, interval=0.2)
    left = kernel_containers(pid)
    for cid in left:
        docker("rm", "-f", cid)
    assert ok, f"containers of kernel {pid} outlived its shutdown: {left}"


def test_containers_of_a_killed_kernel_are_removed_by_the_next_kernel(docker_engine):
    k = Kernel(extra_env={"FERRY_ENGINE": "docker"})
    pid = k.pid
    workers = []
    try:
        k.execute_ok("%%remote session=orphan\nint x = 1;", timeout=CELL_TIMEOUT)
        mine = kernel_containers(pid)
        assert [l.get("dev.ferry.session") for l in mine.values()] == ["orphan"], mine
        cid = next(iter(mine))
        workers = descendants_of(pid)
        os.kill(pid, signal.SIGKILL)
        assert wait_until(k.process_exited, 5)
        time.sleep(0.5)
        assert container_exists(cid), "the container went with the SIGKILLed kernel (nothing could remove it)"
    finally:
        k.close()
        for w in workers:  # the killed kernel's own worker JVM
            if pid_alive(w):
                os.kill(w, signal.SIGKILL)
    k2 = Kernel()
    try:
        removed = gone(cid, 20)
        if not removed:
            docker("rm", "-f", cid)
        assert removed, f"the next kernel did not remove container {cid} of the killed kernel {pid} within 20 s"
        assert k2.alive()
    finally:
        k2.close()


def test_dict_and_queue_in_a_container_reach_the_kernels_store(rk):
    """A job queue filled in the notebook is drained in a container (no network, no store file there):
    every operation is a store.* call over the worker protocol; errors keep their types."""
    name = "e2e-jobs-" + uuid.uuid4().hex[:8]
    rk.execute_ok(f'var jobs = Queue.fromName("{name}", true); jobs.putMany(List.of("a", "bb", "ccc"));\n'
                  f'var results = Dict.fromName("{name}", true); results.put("from-notebook", 1);')
    r = remote(rk, f'%%remote\nvar q = Queue.fromName("{name}", false); var d = Dict.fromName("{name}", false);\n'
                   'String job; int n = 0;\n'
                   'while ((job = (String) q.get(java.time.Duration.ofMillis(300))) != null) { d.put(job, job.length()); n++; }\n'
                   'n + " jobs; notebook said " + d.get("from-notebook")')
    assert value(r) == "3 jobs; notebook said 1", r.describe()
    assert value(rk.execute('results.get("ccc") + " " + results.size() + " " + jobs.size()')) == "3 4 0"
    # a limit error in the container is the same error as in the notebook, and nothing was put
    text = error(remote(rk, f'%%remote\nQueue.fromName("{name}", false).put("x".repeat(2_000_000))'),
                 "java.lang.IllegalArgumentException")
    assert "over the limit of 1,048,576 bytes per item; nothing was put" in text, text
    text = error(remote(rk, '%%remote\nDict.fromName("e2e-no-such-dict", false)'), "java.util.NoSuchElementException")
    assert "does not exist" in text, text
    # a get blocked in a container wakes when another kernel of this machine puts (the store is the kernel's)
    data = tempfile.mkdtemp(prefix="ferry-remote-store-")
    a, b = Kernel(data_dir=data, extra_env={"FERRY_ENGINE": "docker"}), Kernel(data_dir=data)
    try:
        msg = a.kc.execute(f'%%remote\nlong t0 = System.nanoTime(); var item = Queue.fromName("{name}", true)'
                           '.get(java.time.Duration.ofSeconds(40));\n'
                           'item + " after " + (System.nanoTime() - t0) / 1_000_000 + " ms"')
        time.sleep(8)  # the container is up and waiting
        b.execute_ok(f'Queue.fromName("{name}", true).put("late");')
        got = value(a.wait(msg, CELL_TIMEOUT))
        assert got.startswith("late after ") and int(got.split()[2]) < 30_000, got
    finally:
        a.close()
        b.close()
        shutil.rmtree(data, ignore_errors=True)


def test_a_jdk25_kernel_runs_remote_cells_in_a_jdk25_container():
    from conftest import KERNEL_NAME_JDK25
    assert KERNEL_NAME_JDK25, "FERRY_KERNEL_NAME_JDK25 is not set (JupyterClientsIT sets it)"
    img = docker("image", "inspect", "--format", "{{.Id}}", "ferry/base:bookworm-jdk25")
    assert img.returncode == 0, "ferry/base:bookworm-jdk25 is missing: install/docker.sh start --jdk <JDK 25 home>"
    k = Kernel(name=KERNEL_NAME_JDK25, extra_env={"FERRY_ENGINE": "docker"})
    try:
        r = remote(k, '%%remote out=t\nrecord V(int major) {}\nList.of(new V(Runtime.version().feature()))')
        assert "25" in value(r), r.describe()
        assert value(k.execute("t.rowCount() + \" \" + t.column(\"major\")")) == "1 [25]"
    finally:
        k.close()


def test_gpu_magic_lists_what_the_worker_sees(rk):
    local = rk.execute_ok("%gpu")
    remote_r = remote(rk, "%%remote\n%gpu")
    assert remote_r.status == "ok", remote_r.describe()
    for r in (local, remote_r):
        shown = displays(r)
        assert len(shown) == 1, r.describe()
        text = shown[0].content["data"]["text/plain"]
        if has_gpu_runtime():
            assert "| # | name |" in text, text
        else:
            assert text.startswith("No GPU: "), text


def test_a_notebooks_on_demand_import_reaches_the_container_and_list_stays_unambiguous(docker_engine):
    k = Kernel(extra_env={"FERRY_ENGINE": "docker"})
    try:
        k.execute_ok("import java.awt.*;")
        r = remote(k, '%%remote\nList<String> l = List.of("a");\nSystem.out.println(l + " " + new Dimension(3, 4).width);')
        assert r.status == "ok" and r.stdout == "[a] 3\n", r.describe()
    finally:
        k.close()
