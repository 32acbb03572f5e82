"""Execute notebooks/quickstart.ipynb headless with nbconvert (nbclient) and check every cell's outputs."""
import os
import re
import subprocess
from pathlib import Path

import nbformat
import pytest

from conftest import KERNEL_NAME, stop_server, strip_ansi

REPO = Path(__file__).resolve().parents[2]
QUICKSTART = REPO / "notebooks" / "quickstart.ipynb"


def _stream(cell, name=None):
    return "".join(o.get("text", "") for o in cell.outputs
                   if o.output_type == "stream" and (name is None or o.name == name))


def _result(cell):
    res = [o for o in cell.outputs if o.output_type == "execute_result"]
    assert len(res) == 1, cell.outputs
    return res[0]["data"]["text/plain"]


def _nbconvert(notebook, out_dir, extra_env, cell_timeout=120, timeout=300):
    """Executes a notebook headless with nbconvert against the kernel under test; returns the executed copy."""
    env = dict(os.environ)
    env.update(extra_env)
    cmd = ["/usr/bin/jupyter", "nbconvert", "--to", "notebook", "--execute",
           f"--ExecutePreprocessor.kernel_name={KERNEL_NAME}",
           f"--ExecutePreprocessor.timeout={cell_timeout}",
           str(notebook), "--output-dir", str(out_dir)]
    p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
    assert p.returncode == 0, f"nbconvert failed ({p.returncode}):\n{p.stdout}\n{p.stderr}"
    out = out_dir / notebook.name
    assert out.exists(), p.stderr
    return nbformat.read(out, as_version=4)


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """The quick start as run-quickstart.sh runs it, on a machine whose Docker engine answers."""
    _docker_answers()
    data = tmp_path_factory.mktemp("ferry-data")
    try:
        yield _nbconvert(QUICKSTART, tmp_path_factory.mktemp("nb-out"),
                         {"FERRY_DATA_DIR": str(data)}, cell_timeout=300, timeout=600)
    finally:
        stop_server(str(data))  # the function cells started one; it outlives the notebook by design


@pytest.fixture(scope="module")
def executed_without_docker(tmp_path_factory):
    """The quick start where no Docker engine answers: %%remote falls back to local processes."""
    data = tmp_path_factory.mktemp("ferry-data-process")
    try:
        yield _nbconvert(QUICKSTART, tmp_path_factory.mktemp("nb-out-process"),
                         {"FERRY_DATA_DIR": str(data), "DOCKER_HOST": "unix:///nonexistent/docker.sock"},
                         cell_timeout=300, timeout=600)
    finally:
        stop_server(str(data))


def test_source_notebook_metadata():
    nb = nbformat.read(QUICKSTART, as_version=4)
    nbformat.validate(nb)
    ks = nb.metadata.kernelspec
    assert ks.name == "ferry" and ks.display_name == "Java (Ferry)" and ks.language == "java", ks
    # committed without outputs
    for c in nb.cells:
        if c.cell_type == "code":
            assert not c.outputs and c.execution_count is None, c


@pytest.mark.parametrize("run", ["executed", "executed_without_docker"])
def test_every_code_cell_ran(run, request):
    nb = request.getfixturevalue(run)
    codes = [c for c in nb.cells if c.cell_type == "code"]
    counts = [c.execution_count for c in codes]
    assert all(isinstance(n, int) for n in counts), counts
    assert counts == sorted(counts) and len(set(counts)) == len(counts), counts
    # the kernel's language_info replaced the notebook's
    assert nb.metadata.language_info.name == "java", nb.metadata.language_info


NO_DOCKER_NOTICE = ("no Docker engine answers; this cell runs in a local process (engine=process). Start one with "
                    "install/docker.sh, or say engine=process to silence this.\n")


@pytest.mark.parametrize("run", ["executed", "executed_without_docker"])
def test_cell_outputs(run, request):
    nb = request.getfixturevalue(run)
    codes = [c for c in nb.cells if c.cell_type == "code"]
    assert len(codes) == 19, [c.source for c in codes]
    (hello, expr, record, coll, err, after, recipe, declare, remote, local, fill, drain, read, threshold, sql, best,
     function, mapped, cleanup) = codes

    assert re.fullmatch(r"Hello from Java \d+\n", _stream(hello, "stdout")), hello.outputs
    assert _result(expr) == "42", expr.outputs
    assert _stream(record, "stdout") == "Point[x=6.0, y=8.0] has norm 10.0\n", record.outputs
    assert _stream(coll, "stdout") == "4 -> [Java]\n5 -> [Scala]\n6 -> [Kotlin, Groovy]\n7 -> [Clojure]\n", coll.outputs
    assert _result(coll) == "4", coll.outputs

    assert "raises-exception" in err.metadata.get("tags", [])
    errors = [o for o in err.outputs if o.output_type == "error"]
    assert len(errors) == 1, err.outputs
    e = errors[0]
    assert "ArrayIndexOutOfBoundsException" in e.ename, e
    tb = strip_ansi("\n".join(e.traceback))
    assert "Index 5 out of bounds for length 2" in tb, tb
    assert "dev.ferry" not in tb and "jdk.jshell" not in tb, tb
    assert _stream(after, "stdout") == "5.0 5\n", after.outputs
    for c in codes:
        if c is not err:
            assert not [o for o in c.outputs if o.output_type == "error"], (c.source, c.outputs)

    # the tour: a recipe, a cell elsewhere with a table back, Dict and Queue across it, %%sql over the table
    assert re.fullmatch(r"Image\[ferry/base:bookworm-jdk\d+ \| apt git \| "
                        r"maven org\.apache\.commons:commons-math3:3\.6\.1\]", _result(recipe)), recipe.outputs
    assert not declare.outputs, declare.outputs
    remote_host = re.fullmatch(r"computed on host (\S+)\n", _stream(remote, "stdout"))
    assert remote_host, remote.outputs
    table = [o for o in remote.outputs if o.output_type == "execute_result"][0]["data"]
    assert "8 rows × 4 columns" in table["text/html"] and ">north<" in table["text/html"], table
    m = re.fullmatch(r"sales: a local Table of 8 rows, and this notebook runs on host (\S+)", _result(local))
    assert m, local.outputs
    assert _result(fill) == "4", fill.outputs
    assert _result(drain) == "revenue of 4 regions stored", drain.outputs
    assert _result(read) == "north 264.0, 4 regions, queue holds 0", read.outputs
    assert not threshold.outputs, threshold.outputs
    html = [o for o in sql.outputs if o.output_type == "execute_result"][0]["data"]["text/html"]
    assert "3 rows × 3 columns" in html and re.search(r">north<.*>264\.0<.*>south<.*>232\.0<.*>west<", html, re.S), html
    assert _result(best) == "3 regions above 150.0, best: north", best.outputs
    # a function declared once and mapped over inputs by the Ferry server the kernel started
    assert not [o for o in function.outputs if o.output_type == "error"], function.outputs
    assert _result(mapped) == "[8, 16, 111]", mapped.outputs
    assert _result(cleanup) == "false", cleanup.outputs

    notices = [_stream(c, "stderr") for c in (remote, drain)]
    if run == "executed":  # in containers: another host, and no word about engines
        assert re.fullmatch(r"ferry-[0-9a-f]{12}", remote_host.group(1)) and remote_host.group(1) != m.group(1), \
            (remote_host.group(1), m.group(1))
        assert notices == ["", ""], notices
    else:  # in local processes, saying so in one line per %%remote cell
        assert remote_host.group(1) == m.group(1), (remote_host.group(1), m.group(1))
        assert notices == [NO_DOCKER_NOTICE, NO_DOCKER_NOTICE], notices


def test_notebook_without_tag_stops_at_error(tmp_path, jupyter_env):
    """Without the raises-exception tag nbconvert must fail on the error cell (the kernel reports errors)."""
    nb = nbformat.read(QUICKSTART, as_version=4)
    for c in nb.cells:
        c.metadata.pop("tags", None)
    src = tmp_path / "untagged.ipynb"
    nbformat.write(nb, src)
    p = subprocess.run(["/usr/bin/jupyter", "nbconvert", "--to", "notebook", "--execute",
                        f"--ExecutePreprocessor.kernel_name={KERNEL_NAME}", str(src),
                        "--output-dir", str(tmp_path / "out")],
                       env=jupyter_env, capture_output=True, text=True, timeout=300)
    assert p.returncode != 0, "nbconvert succeeded although a cell raised"
    assert "ArrayIndexOutOfBoundsException" in p.stderr, p.stderr[-3000:]


# --------------------------------------------------------------------------------------------
# notebooks/display-and-magics.ipynb (the magics part; the rich-display part checks its own cells)
# --------------------------------------------------------------------------------------------

DISPLAY_AND_MAGICS = REPO / "notebooks" / "display-and-magics.ipynb"


@pytest.fixture(scope="module")
def magics_executed(tmp_path_factory):
    return _nbconvert(DISPLAY_AND_MAGICS, tmp_path_factory.mktemp("nb-magics-out"),
                      {"FERRY_DATA_DIR": str(tmp_path_factory.mktemp("ferry-data-magics"))})


def _cell(nb, first_line):
    found = [c for c in nb.cells if c.cell_type == "code" and c.source.splitlines()[0] == first_line]
    assert len(found) == 1, (first_line, [c.source for c in nb.cells])
    return found[0]


def test_display_and_magics_metadata():
    nb = nbformat.read(DISPLAY_AND_MAGICS, as_version=4)
    nbformat.validate(nb)
    ks = nb.metadata.kernelspec
    assert ks.name == "ferry" and ks.display_name == "Java (Ferry)", ks
    for c in nb.cells:
        if c.cell_type == "code":
            assert not c.outputs and c.execution_count is None, c


def test_magics_part_outputs(magics_executed):
    nb = magics_executed
    for c in nb.cells:
        if c.cell_type == "code":
            assert not [o for o in c.outputs if o.output_type == "error"], (c.source, c.outputs)
    assert "%%writefile" in _stream(_cell(nb, "%lsmagic"), "stdout")
    time = _cell(nb, "%%time")
    assert re.search(r"CPU times: user .*\nWall time: ", _stream(time, "stdout")), time.outputs
    assert _result(time) == "499999500000"
    assert re.search(r"per loop \(mean ± std\. dev\. of 3 runs, [\d,]+ loops? each\)",
                     _stream(_cell(nb, "%timeit -r 3 Math.sqrt(2.0)"), "stdout"))
    assert _stream(_cell(nb, "%cd /tmp/ferry-demo"), "stdout") == "/tmp/ferry-demo\n"
    assert "/tmp/ferry-demo" in _result(_cell(nb, "%pwd"))
    assert _stream(_cell(nb, "%%writefile Greeter.java"), "stdout") in ("Writing Greeter.java\n", "Overwriting Greeter.java\n")
    assert "Hello, magics!" in _result(_cell(nb, "%load Greeter.java"))
    ready = [c for c in nb.cells if c.cell_type == "code" and c.source.startswith("%%bash\nmkdir")][0]
    assert _stream(ready, "stdout") == "ready\n", ready.outputs
    bash = [c for c in nb.cells if c.cell_type == "code" and c.source.startswith("%%bash\necho \"color")][0]
    assert _stream(bash, "stdout") == "color is blue\nGreeter.java\n", bash.outputs
    html = [o for o in _cell(nb, "%%html").outputs if o.output_type == "display_data"]
    assert html and html[0]["data"]["text/html"] == "<b>bold</b> and <i>italic</i>"
    md = [o for o in _cell(nb, "%%markdown").outputs if o.output_type == "display_data"]
    assert md and "text/markdown" in md[0]["data"]
    whos = _stream(_cell(nb, "%whos"), "stdout")
    assert re.search(r"answer\s+int\s+42", whos) and re.search(r"language\s+String\s+Java", whos), whos
    assert _stream(_cell(nb, "%%capture out"), "stdout") == ""
    assert "captured, not shown" in _result(_cell(nb, "out.stdout().strip()"))
    assert [c for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("## Rich display")]


# --------------------------------------------------------------------------------------------
# notebooks/storage.ipynb: Queue, Dict, Volume + %%sql on Parquet, SQLite transaction, Secret
# --------------------------------------------------------------------------------------------

STORAGE = REPO / "notebooks" / "storage.ipynb"
STORAGE_FAKE_SECRET = "fake-key-0123456789"


@pytest.fixture(scope="module")
def storage_executed(tmp_path_factory):
    data = tmp_path_factory.mktemp("ferry-data-storage")
    config = tmp_path_factory.mktemp("ferry-config-storage")
    nb = _nbconvert(STORAGE, tmp_path_factory.mktemp("nb-storage-out"),
                    {"FERRY_DATA_DIR": str(data), "FERRY_CONFIG_DIR": str(config)})
    return nb, data, config


def test_storage_notebook_metadata():
    nb = nbformat.read(STORAGE, as_version=4)
    nbformat.validate(nb)
    ks = nb.metadata.kernelspec
    assert ks.name == "ferry" and ks.display_name == "Java (Ferry)", ks
    for c in nb.cells:
        if c.cell_type == "code":
            assert not c.outputs and c.execution_count is None, c


def test_storage_notebook_outputs(storage_executed):
    nb, data, config = storage_executed
    codes = [c for c in nb.cells if c.cell_type == "code"]
    for c in codes:
        assert not [o for o in c.outputs if o.output_type == "error"], (c.source, c.outputs)
    fill, drain, refill, remote, check, vol, copy, files, query, sqlite, secret, use, cleanup = codes
    assert _result(fill) == "5", fill.outputs
    assert _stream(drain, "stdout") == "queue now holds 0 jobs\n" and _result(drain) == "16", drain.outputs
    assert _result(refill) == "3", refill.outputs
    assert _result(remote) == "a remote worker squared 3 jobs", remote.outputs
    assert _result(check) == "64 (8 results)", check.outputs
    assert _result(vol) == "true", vol.outputs
    assert "100 rows affected" in _stream(copy, "stdout"), copy.outputs
    assert _result(files) == "[squares.parquet]", files.outputs
    html = [o for o in query.outputs if o.output_type == "execute_result"][0]["data"]["text/html"]
    assert ">100<" in html and ">328350<" in html, html
    html = [o for o in sqlite.outputs if o.output_type == "execute_result"][0]["data"]["text/html"]
    assert re.search(r">ada<.*>70<.*>bob<.*>80<", html, re.S), html
    assert _result(secret) == "Secret[name=storage-demo-api, keys=[API_KEY], values hidden]", secret.outputs
    assert "using an API key of 19 characters" in _result(use), use.outputs
    assert _result(cleanup) == "false", cleanup.outputs
    # the fake value is in the notebook's source, never in an output
    for c in codes:
        assert STORAGE_FAKE_SECRET not in str(c.outputs), (c.source, c.outputs)
    # it ran against the test's own directories, and cleaned up
    assert (data / "volumes").is_dir() and not (data / "volumes" / "storage-demo").exists()
    assert (config / "secrets").is_dir() and not list((config / "secrets").iterdir())


# --------------------------------------------------------------------------------------------
# notebooks/remote.ipynb: %%remote with an Image (apt + Maven), in=/out=, a session, the GPU error, %remote ls
# --------------------------------------------------------------------------------------------

REMOTE = REPO / "notebooks" / "remote.ipynb"


def _docker_answers() -> None:
    """remote.ipynb needs the Docker engine and its base image: fail (never skip) without them."""
    try:
        p = subprocess.run(["docker", "info", "--format", "{{.ServerVersion}}"], capture_output=True, text=True,
                           timeout=20)
        img = subprocess.run(["docker", "image", "inspect", "ferry/base:bookworm-jdk17"], capture_output=True,
                             text=True, timeout=20)
    except (FileNotFoundError, subprocess.TimeoutExpired) as e:
        pytest.fail(f"the Docker engine does not answer ({e}); start it with install/docker.sh start")
    assert p.returncode == 0 and p.stdout.strip(), (
        f"the Docker engine does not answer ({p.stderr.strip()[-300:]}); start it with install/docker.sh start")
    assert img.returncode == 0, ("the base image ferry/base:bookworm-jdk17 is missing; "
                                 "start it with install/docker.sh start")


@pytest.fixture(scope="module")
def remote_executed(tmp_path_factory):
    _docker_answers()
    return _nbconvert(REMOTE, tmp_path_factory.mktemp("nb-remote-out"),
                      {"FERRY_DATA_DIR": str(tmp_path_factory.mktemp("ferry-data-remote")),
                       "FERRY_ENGINE": "docker"},  # no silent fallback to local processes
                      cell_timeout=300, timeout=900)  # the first build of the git + commons-math3 image


def test_remote_notebook_metadata():
    nb = nbformat.read(REMOTE, as_version=4)
    nbformat.validate(nb)
    ks = nb.metadata.kernelspec
    assert ks.name == "ferry" and ks.display_name == "Java (Ferry)" and ks.language == "java", ks
    for c in nb.cells:
        if c.cell_type == "code":
            assert not c.outputs and c.execution_count is None, c
    tagged = [c for c in nb.cells if "raises-exception" in c.metadata.get("tags", [])]
    assert [c.source.splitlines()[0] for c in tagged] == ["%%remote gpu=T4"], tagged


def test_remote_notebook_outputs(remote_executed):
    nb = remote_executed
    codes = [c for c in nb.cells if c.cell_type == "code"]
    assert len(codes) == 9, [c.source for c in codes]
    recipe, build_and_run, declare, to_table, local, session1, session2, gpu, ls = codes
    for c in codes:
        if c is not gpu:
            assert not [o for o in c.outputs if o.output_type == "error"], (c.source, c.outputs)

    assert re.fullmatch(r"Image\[ferry/base:bookworm-jdk\d+ \| apt git \| "
                        r"maven org\.apache\.commons:commons-math3:3\.6\.1\]", _result(recipe)), recipe.outputs
    # the build log shows only when the image was not built yet; git's output streams from the container
    for o in build_and_run.outputs:
        if o.output_type in ("display_data", "update_display_data"):
            assert "building ferry/image:" in o["data"]["text/plain"], o
    assert re.fullmatch(r"git version \d+\.\d+[^\n]*\n", _stream(build_and_run, "stdout")), build_and_run.outputs
    assert _result(build_and_run) == "mean 5.0, standard deviation 2.14", build_and_run.outputs

    assert not declare.outputs, declare.outputs
    table = [o for o in to_table.outputs if o.output_type == "execute_result"][0]["data"]
    assert "3 rows × 2 columns" in table["text/html"] and ">north<" in table["text/html"], table
    assert re.search(r"east\s+│\s+68\.0", table["text/plain"]), table["text/plain"]
    assert _result(local) == "3 readings, columns [sensor, fahrenheit], first: 77.0", local.outputs

    assert not _stream(session1), session1.outputs
    assert _result(session1) == "10", session1.outputs
    assert _result(session2) == "20 values, mean 10.5", session2.outputs

    errors = [o for o in gpu.outputs if o.output_type == "error"]
    runtimes = subprocess.run(["docker", "info", "--format", "{{json .Runtimes}}"], capture_output=True,
                              text=True, timeout=20)
    if "nvidia" not in runtimes.stdout:
        assert len(errors) == 1 and errors[0].ename == "RemoteError", gpu.outputs
        assert "this engine has no GPU runtime" in errors[0].evalue, errors[0]

    text = _stream(ls, "stdout")
    m = re.search(r"^stats\s+docker\s+([0-9a-f]{12})\s+ferry/image:[0-9a-f]{16}\s+2 cells\s+running$", text, re.M)
    assert m, text
    assert re.search(r"^containers of this kernel: \d+$", text, re.M), text
    assert re.search(rf"^  {m.group(1)}  ferry/image:[0-9a-f]{{16}}  Up .*  session stats$", text, re.M), text
    # nbconvert shut the kernel down: the session's container went with it
    left = subprocess.run(["docker", "ps", "-aq", "--filter", f"id={m.group(1)}"], capture_output=True, text=True,
                          timeout=20)
    assert left.stdout.strip() == "", f"the session container {m.group(1)} outlived the notebook's kernel"


# --------------------------------------------------------------------------------------------
# notebooks/functions.ipynb: %%function, remote, map, spawn + fromId, a retried flaky function
# --------------------------------------------------------------------------------------------

FUNCTIONS = REPO / "notebooks" / "functions.ipynb"


@pytest.fixture(scope="module")
def functions_executed(tmp_path_factory):
    data = tmp_path_factory.mktemp("ferry-data-functions")
    try:
        yield _nbconvert(FUNCTIONS, tmp_path_factory.mktemp("nb-functions-out"), {"FERRY_DATA_DIR": str(data)},
                         cell_timeout=300, timeout=900)
    finally:
        stop_server(str(data))  # the server outlives the notebook: the test stops it


def test_functions_notebook_metadata():
    nb = nbformat.read(FUNCTIONS, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "ferry", nb.metadata
    for c in nb.cells:
        if c.cell_type == "code":
            assert not c.outputs and c.execution_count is None, c


def test_functions_notebook_outputs(functions_executed):
    codes = [c for c in functions_executed.cells if c.cell_type == "code"]
    for c in codes:
        assert not [o for o in c.outputs if o.output_type == "error"], (c.source, c.outputs)
    declare, local_remote, mapped, spawn, from_id, declare_flaky, flaky = codes
    assert _result(local_remote) == "9 here, 49 in a worker", local_remote.outputs
    assert _result(mapped) == str([i * i for i in range(1, 13)]), mapped.outputs
    assert any("12/12" in o.get("data", {}).get("text/plain", "") for o in mapped.outputs
               if o.output_type == "display_data"), mapped.outputs
    assert _result(spawn) == "true", spawn.outputs
    assert _result(from_id) == "144", from_id.outputs
    assert _result(flaky) == "succeeded on a retry", flaky.outputs
