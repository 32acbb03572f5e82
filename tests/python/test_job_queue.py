"""The seed's job queue end to end (notebooks/job-queue.jsh and notebooks/job-queue.ipynb): deployed on a real
Ferry server, driven by real HTTP from other processes (curl, and Java's HttpClient in the notebook):
POST /submit-job answers 200 {"call_id": "fc-..."}, GET /job-status/{call_id} 202 while the job runs and 200 with
its result when done, 404 for an unknown id, 400 for a malformed body; `ferry app list` shows the URLs."""
import json
import os
import subprocess
import time
from pathlib import Path

import nbformat
import pytest

from conftest import KERNEL_NAME, ferry, web_server

REPO = Path(__file__).resolve().parents[2]
APP_FILE = REPO / "notebooks" / "job-queue.jsh"
NOTEBOOK = REPO / "notebooks" / "job-queue.ipynb"


def curl(*args):
    """(status, body) of a curl request (a separate process, as a user's terminal would send it)."""
    p = subprocess.run(["curl", "-s", "-o", "-", "-w", "\n%{http_code}", "--max-time", "300", *args],
                       capture_output=True, text=True, timeout=320)
    assert p.returncode == 0, p.stderr
    body, _, code = p.stdout.rpartition("\n")
    return int(code), body


@pytest.fixture(scope="module")
def server():
    with web_server("fjobs", "job-queue") as s:
        yield s


def poll(base, call_id, deadline_s=300):
    seen = []
    end = time.time() + deadline_s
    while time.time() < end:
        code, body = curl(f"{base}/job-status/{call_id}")
        seen.append(code)
        if code != 202:
            return code, body, seen
        assert json.loads(body) == {"call_id": call_id, "status": "running"}, body
        time.sleep(0.5)
    raise AssertionError(f"job {call_id} still running after {deadline_s} s: {seen}")


def test_the_app_file_deploys_and_serves_the_job_queue_over_http(server):
    data_dir, base = server
    out = ferry(data_dir, "deploy", str(APP_FILE))
    assert "job-queue" in out and "(ap-" in out, out
    assert f"POST {base}/submit-job" in out and f"GET {base}/job-status/{{call_id}}" in out, out

    listed = ferry(data_dir, "app", "list")
    assert "job-queue" in listed and f"{base}/submit-job" in listed, listed

    code, body = curl("-X", "POST", f"{base}/submit-job", "-H", "Content-Type: application/json", "-d", '{"n": 27}')
    assert code == 200, body
    call_id = json.loads(body)["call_id"]
    assert call_id.startswith("fc-") and len(call_id) == 29, body

    code, body, seen = poll(base, call_id)
    assert code == 200, (code, body, seen)
    assert json.loads(body) == {"n": 27, "fib": 196418}, body

    # an unknown id, a malformed one, a malformed body
    code, body = curl(f"{base}/job-status/fc-00000000000000000000000000")
    assert code == 404, body
    code, body = curl(f"{base}/job-status/not-an-id")
    assert code == 404, body
    code, body = curl("-X", "POST", f"{base}/submit-job", "-H", "Content-Type: application/json", "-d", "{not json")
    assert code == 400, body

    # a job that fails: its status says so with the job's own error (500 with the type and message)
    code, body = curl("-X", "POST", f"{base}/submit-job", "-H", "Content-Type: application/json", "-d", '{"n": "many"}')
    assert code == 200, body
    code, body, _ = poll(base, json.loads(body)["call_id"])
    assert code == 500 and "n must be a number between 0 and 45" in body, (code, body)

    logs = ferry(data_dir, "app", "logs", "job-queue")
    assert "process_job" in logs and "submit_job" in logs, logs


def test_the_notebook_deploys_and_drives_it_with_java_http_client(server, tmp_path):
    data_dir, base = server
    nb = nbformat.read(NOTEBOOK, as_version=4)
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1 and "String base" in params[0].source, params
    params[0].source = f'String base = "{base}";'
    src = tmp_path / "job-queue.ipynb"
    nbformat.write(nb, src)
    env = dict(os.environ, FERRY_DATA_DIR=data_dir)
    p = subprocess.run(["/usr/bin/jupyter", "nbconvert", "--to", "notebook", "--execute",
                        f"--ExecutePreprocessor.kernel_name={KERNEL_NAME}", "--ExecutePreprocessor.timeout=600",
                        str(src), "--output-dir", str(tmp_path / "out")], env=env, capture_output=True, text=True, timeout=1200)
    assert p.returncode == 0, p.stdout + p.stderr[-4000:]
    done = nbformat.read(tmp_path / "out" / "job-queue.ipynb", as_version=4)
    results = {}
    for c in done.cells:
        if c.cell_type == "code":
            assert not [o for o in c.outputs if o.output_type == "error"], (c.source, c.outputs)
            for o in c.outputs:
                if o.output_type == "execute_result":
                    results[c.source.splitlines()[0]] = o["data"]["text/plain"]
    deploy = [c for c in done.cells if c.cell_type == "code" and c.source.startswith("%deploy")][0]
    text = "".join(o.get("text", "") for o in deploy.outputs)
    assert "Deployed job-queue (ap-" in text and f"{base}/submit-job" in text, text
    submitted = [v for k, v in results.items() if k.startswith("import java.net.URI")][0]
    code, body = submitted.split(" ", 1)
    assert code == "200" and json.loads(body)["call_id"].startswith("fc-"), submitted
    finished = [v for k, v in results.items() if k.startswith("String callId")][0]
    code, body = finished.split(" ", 1)
    assert code == "200" and json.loads(body) == {"n": 30, "fib": 832040}, finished
    bad = [v for k, v in results.items() if k.startswith("var bad")][0]
    assert bad.startswith("400 "), bad
    unknown = [v for k, v in results.items() if k.startswith("var unknown")][0]
    assert unknown == "404", unknown
