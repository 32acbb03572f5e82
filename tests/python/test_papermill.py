"""The real papermill on Java notebooks, with papermill-ferry installed by install/papermill.sh: typed parameters
from -p, -r, -y and -f, --prepare-only, --help-notebook, --cwd, --log-output, a value that does not fit its type
and a failing cell; and the same failing notebook under papermill, `jupyter nbconvert --execute` and
`jupyter execute` (headless parity).

papermill is not packaged for Debian 12 and no reachable index has it: its source is in the vendor folder beside
the repository (../shared/vendor, see its README.md), found as described in `_vendor_dirs`. Its dependencies are
Debian packages (install/system-deps.sh installs them)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from conftest import KERNEL_NAME, strip_ansi

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "notebooks" / "parameters.ipynb"
PY = "/usr/bin/python3"


def _vendor_dirs():
    """Where papermill's source may be: $FERRY_VENDOR_DIR, the repository's sibling shared/vendor (a clone next
    to the shared folder, as /work/main and /work/shared), the main checkout's sibling when this is a git
    worktree, and shared/vendor inside the repository."""
    if os.environ.get("FERRY_VENDOR_DIR"):
        yield Path(os.environ["FERRY_VENDOR_DIR"])
    yield REPO.parent / "shared" / "vendor"
    p = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--path-format=absolute", "--git-common-dir"],
                       capture_output=True, text=True)
    if p.returncode == 0 and p.stdout.strip():
        yield Path(p.stdout.strip()).parent.parent / "shared" / "vendor"
    yield REPO / "shared" / "vendor"


def _papermill_sdist() -> Path:
    searched = []
    for d in _vendor_dirs():
        found = sorted(d.glob("papermill-*.tar.gz"))
        if found:
            return found[-1]
        searched.append(str(d))
    why = ("papermill's source (papermill-*.tar.gz) is in none of " + ", ".join(dict.fromkeys(searched))
           + ": put the shared vendor folder beside the repository (../shared/vendor) or set FERRY_VENDOR_DIR")
    if os.environ.get("FERRY_REQUIRE_VENDOR") == "1":
        pytest.fail(why)
    print("[ferry-it] SKIPPING the papermill tests: " + why)
    pytest.skip(why)  # like the GPU tests where no GPU is: said, never passed


@pytest.fixture(scope="module")
def pm_env(tmp_path_factory):
    """papermill installed into a folder of its own, and papermill-ferry beside it by install/papermill.sh."""
    missing = [m for m in ("click", "yaml", "tqdm", "requests", "entrypoints", "tenacity", "nbclient")
               if subprocess.run([PY, "-c", f"import {m}"], capture_output=True).returncode != 0]
    assert not missing, f"papermill's dependencies {missing} are missing: run install/system-deps.sh"
    site = tmp_path_factory.mktemp("papermill-site")
    quiet = {"PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_ROOT_USER_ACTION": "ignore", "PYTHONWARNINGS": "ignore"}
    p = subprocess.run([PY, "-m", "pip", "install", "--no-deps", "--no-build-isolation", "--no-index", "-q",
                        "--target", str(site), str(_papermill_sdist())],
                       capture_output=True, text=True, timeout=300, env={**os.environ, **quiet})
    assert p.returncode == 0, f"installing papermill failed:\n{p.stdout}\n{p.stderr}"
    env = dict(os.environ)
    env["PYTHONPATH"] = str(site) + (":" + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    p = subprocess.run(["bash", str(REPO / "install" / "papermill.sh"), "--python", PY], capture_output=True,
                       text=True, timeout=300, env=env)
    assert p.returncode == 0, f"install/papermill.sh failed:\n{p.stdout}\n{p.stderr}"
    assert (site / "papermill_ferry").is_dir(), p.stdout + p.stderr
    env["FERRY_DATA_DIR"] = str(tmp_path_factory.mktemp("ferry-data-papermill"))
    return env


def papermill(env, *args, timeout=300):
    cmd = [PY, "-m", "papermill", "--no-progress-bar", "-k", KERNEL_NAME, "--start-timeout", "90",
           "--execution-timeout", "120", *map(str, args)]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)


def _code(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def _text(cell):
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream") + "".join(
        o["data"].get("text/plain", "") for o in cell.outputs if o.output_type == "execute_result")


def _errors(cell):
    return [o for o in cell.outputs if o.output_type == "error"]


# ------------------------------------------------------------------------------------ the example notebook

def test_help_notebook_lists_types_defaults_and_comments(pm_env):
    p = papermill(pm_env, "--help-notebook", EXAMPLE)
    assert p.returncode == 0, p.stderr
    out = p.stdout
    assert "Parameters inferred for notebook" in out, out
    for line in ["  alpha: double (default 0.5)", "  steps: int (default 3)", '  label: String (default "demo")',
                 "  sizes: List<Integer> (default List.of(8, 16))", "  config: Map<String, Object> (default Map.of())",
                 "  verbose: boolean (default false)"]:
        assert line in out, out
    assert "learning rate, between 0 and 1" in out and "layer sizes (a YAML list: -y 'sizes: [4, 8]')" in out, out


def test_prepare_only_injects_typed_declarations_without_running(pm_env, tmp_path):
    out = tmp_path / "prepared.ipynb"
    p = papermill(pm_env, EXAMPLE, out, "--prepare-only", "-p", "alpha", "1", "-p", "steps", "5",
                  "-y", "sizes: [4, 8.0]\nconfig: {depth: 2}")
    assert p.returncode == 0, p.stderr
    nb = nbformat.read(out, as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and nb.cells.index(injected[0]) == 2, [c.metadata for c in nb.cells]
    lines = injected[0].source.splitlines()
    assert lines == [  # in papermill's order: -y, then -p
        "// Parameters", "List<Integer> sizes = List.of(4, 8);", 'Map<String, Object> config = Map.of("depth", 2);',
        "double alpha = 1.0;", "int steps = 5;"], injected[0].source
    assert all(c.execution_count is None and not c.outputs for c in _code(nb)), "--prepare-only ran cells"
    assert nb.metadata.papermill.parameters == {"alpha": 1, "steps": 5, "sizes": [4, 8.0], "config": {"depth": 2}}


def test_run_with_parameters(pm_env, tmp_path):
    out = tmp_path / "run.ipynb"
    p = papermill(pm_env, EXAMPLE, out, "-p", "alpha", "0.5", "-p", "steps", "2", "-p", "verbose", "true",
                  "-r", "label", "run 7")
    assert p.returncode == 0, p.stderr
    nb = nbformat.read(out, as_version=4)
    last = _code(nb)[-1]
    assert _text(last) == ("step 1: loss 0.5000\nstep 2: loss 0.2500\n"
                           "run 7: 2 steps of alpha 0.5, sizes [8, 16], config {}\n0.25"), last.outputs


def test_a_value_that_does_not_fit_its_type_stops_the_run_naming_it(pm_env, tmp_path):
    out = tmp_path / "bad.ipynb"
    p = papermill(pm_env, EXAMPLE, out, "-p", "steps", "abc")
    assert p.returncode != 0, "papermill succeeded with -p steps abc for an int"
    err = strip_ansi(p.stderr)
    assert "parameter 'steps' is declared int in the parameters cell, but the value given, \"abc\", is a string, " \
           "not a whole number" in err, err[-3000:]
    nb = nbformat.read(out, as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])][0]
    (e,) = _errors(injected)
    assert e.ename.endswith("IllegalArgumentException") or "IllegalArgumentException" in "".join(e.traceback), e
    # papermill's marker at the top, and nothing after the injected cell ran
    assert "papermill-error-cell-tag" in nb.cells[0].metadata.get("tags", []), nb.cells[0]
    after = _code(nb)[_code(nb).index(injected) + 1:]
    assert after and all(c.execution_count is None for c in after), [c.execution_count for c in after]


def test_a_failing_cell_stops_the_run_with_its_traceback(pm_env, tmp_path):
    out = tmp_path / "failed.ipynb"
    p = papermill(pm_env, EXAMPLE, out, "-p", "alpha", "2")
    assert p.returncode != 0
    err = strip_ansi(p.stderr)
    assert "PapermillExecutionError" in err and "alpha must be in (0, 1], got 2.0" in err, err[-3000:]
    nb = nbformat.read(out, as_version=4)
    check, last = _code(nb)[-2:]
    (e,) = _errors(check)
    assert "alpha must be in (0, 1], got 2.0" in strip_ansi(e.evalue + "\n".join(e.traceback)), e
    assert last.execution_count is None and not last.outputs, last
    assert nb.metadata.papermill.exception is True


# ------------------------------------------------------------------------------------ every type, -f, --cwd, --log-output

TYPES = new_notebook(metadata={"kernelspec": {"name": "ferry", "display_name": "Java (Ferry)", "language": "java"},
                               "language_info": {"name": "java"}})
TYPES.cells = [
    new_code_cell("double d = 0.5;\nfloat f = 1f;\nlong l = 1L;\nInteger boxed = 1;\nString s = \"\";\n"
                  "char c = 'a';\nboolean b = false;\nList<Double> ds = List.of();\n"
                  "Map<String, List<Integer>> m = Map.of();\nint[] arr = {};\nBigInteger big = BigInteger.ONE;",
                  metadata={"tags": ["parameters"]}),
    new_code_cell('String show(Object o) { return o == null ? "null" : (o instanceof List ? "List" : o instanceof Map '
                  '? "Map" : o.getClass().getSimpleName()) + " " + o; }\n'
                  'String cps(String t) { return t.codePoints().mapToObj(Integer::toString)'
                  '.collect(java.util.stream.Collectors.joining(",")); }'),
    new_code_cell('System.out.println(String.join("\\n", show(d), show(f), show(l), show(boxed), cps(s), show(c), '
                  'show(b), show(ds), show(m), java.util.Arrays.toString(arr), show(big), show(undeclared), '
                  'show(nested), show(nothing), cps(nested.get("text").toString())));\n'
                  'System.out.println(System.getProperty("user.dir"));'),
]
TRICKY = 'quote " backslash \\ newline \n tab \t é 𝄞 C:\\users'


def test_every_type_arrives_as_its_java_value(pm_env, tmp_path):
    src = tmp_path / "types.ipynb"
    nbformat.write(TYPES, src)
    params = tmp_path / "params.yaml"
    params.write_text(json.dumps({
        "s": TRICKY, "ds": [1, 2.5], "m": {"a": [1, 2], "b": []}, "arr": [3, 4], "big": 2 ** 70,
        "nested": {"text": TRICKY, "n": None, "list": [1, "two", None]}, "nothing": None,
    }, ensure_ascii=False), encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    out = tmp_path / "types-out.ipynb"
    p = papermill(pm_env, src, out, "-f", params, "-p", "d", "2", "-p", "f", "0.25", "-p", "l", str(2 ** 40),
                  "-p", "boxed", "None", "-p", "c", "'", "-p", "b", "True", "-y", "undeclared: 12345678901",
                  "--cwd", work, "--log-output")
    assert p.returncode == 0, p.stderr[-5000:]
    nb = nbformat.read(out, as_version=4)
    printed = _text(_code(nb)[-1]).splitlines()
    tricky = ",".join(str(ord(ch)) for ch in TRICKY)
    assert printed == [
        "Double 2.0", "Float 0.25", "Long 1099511627776", "null", tricky, "Character '", "Boolean true",
        "List [1.0, 2.5]", "Map {a=[1, 2], b=[]}", "[3, 4]", "BigInteger 1180591620717411303424", "Long 12345678901",
        *("Map {text=" + TRICKY + ", n=null, list=[1, two, null]}").splitlines(), "null", tricky, str(work)], printed
    assert "Passed unknown parameter: undeclared" in p.stderr, p.stderr[-3000:]
    # --log-output: the cells' output is in papermill's log too
    assert "Long 12345678901" in p.stderr, p.stderr[-3000:]


# ------------------------------------------------------------------------------------ headless parity

FAILING = new_notebook(metadata={"kernelspec": {"name": "ferry", "display_name": "Java (Ferry)", "language": "java"},
                                 "language_info": {"name": "java"}})
FAILING.cells = [
    new_code_cell('System.out.println("first ran");'),
    new_code_cell('int[] small = new int[2];\nsmall[5] = 1;'),
    new_code_cell('System.out.println("third ran");'),
]


@pytest.mark.parametrize("runner", ["papermill", "nbconvert", "execute"])
def test_a_failing_cell_stops_every_headless_runner_with_its_traceback(runner, pm_env, tmp_path):
    src = tmp_path / "failing.ipynb"
    nbformat.write(FAILING, src)
    out = tmp_path / "out.ipynb"
    if runner == "papermill":
        p = papermill(pm_env, src, out)
    elif runner == "nbconvert":
        p = subprocess.run(["/usr/bin/jupyter", "nbconvert", "--to", "notebook", "--execute",
                            f"--ExecutePreprocessor.kernel_name={KERNEL_NAME}", str(src), "--output", str(out)],
                           env=pm_env, capture_output=True, text=True, timeout=300)
    else:
        p = subprocess.run(["/usr/bin/jupyter", "execute", f"--kernel_name={KERNEL_NAME}", str(src)],
                           env=pm_env, capture_output=True, text=True, timeout=300)
    err = strip_ansi(p.stdout + p.stderr)
    assert p.returncode != 0, f"{runner} succeeded although a cell raised:\n{err[-3000:]}"
    assert "ArrayIndexOutOfBoundsException" in err and "Index 5 out of bounds for length 2" in err, err[-3000:]
    assert "small[5] = 1;" in err, err[-3000:]  # the failing line, as in the traceback of a Python cell
    assert "third ran" not in err
    if runner == "papermill":  # the only one of the three that saves a failed run
        nb = nbformat.read(out, as_version=4)
        first, failing, third = _code(nb)
        assert _text(first) == "first ran\n" and _errors(failing) and third.execution_count is None, nb.cells
