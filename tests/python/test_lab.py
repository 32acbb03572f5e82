"""The README's JupyterLab command, install/lab.sh: it runs the JupyterLab of install/system-deps.sh
--browser's virtualenv, and that server offers the Ferry kernel."""
import json
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import KERNEL_NAME

REPO = Path(__file__).resolve().parents[2]
LAB = REPO / "install" / "lab.sh"
LAB_VENV = Path(os.environ.get("FERRY_LAB_VENV", Path.home() / ".cache/ferry/lab-venv"))
needs_lab = pytest.mark.skipif(not (LAB_VENV / "bin/jupyter-lab").exists(),
                               reason=f"no JupyterLab at {LAB_VENV}: install/system-deps.sh --browser makes it")


def test_without_jupyterlab_it_says_how_to_install_it(tmp_path):
    env = dict(os.environ, FERRY_LAB_VENV=str(tmp_path / "none"), PATH="/usr/bin:/bin")
    r = subprocess.run([str(LAB), "--version"], env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 3, r
    assert "install/system-deps.sh --browser" in r.stderr, r.stderr


@needs_lab
def test_lab_version():
    r = subprocess.run([str(LAB), "--version"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r
    assert r.stdout.strip()[:1].isdigit(), r.stdout


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@needs_lab
def test_lab_serves_the_ferry_kernel(jupyter_env, tmp_path):
    port = _free_port()
    token = "ferry-test-token"
    env = dict(jupyter_env, JUPYTER_CONFIG_DIR=str(tmp_path / "config"))
    log = open(tmp_path / "lab.log", "w")
    p = subprocess.Popen([str(LAB), "--no-browser", "--ip=127.0.0.1", f"--port={port}", "--port-retries=0",
                          f"--ServerApp.token={token}", f"--ServerApp.root_dir={tmp_path}"],
                         env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        specs = None
        deadline = time.monotonic() + 120
        while specs is None and time.monotonic() < deadline and p.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/kernelspecs?token={token}", timeout=5) as r:
                    specs = json.load(r)
            except OSError:
                time.sleep(0.5)
        log.flush()
        assert specs is not None, "JupyterLab did not answer:\n" + (tmp_path / "lab.log").read_text()
        assert KERNEL_NAME in specs["kernelspecs"], specs["kernelspecs"].keys()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/lab?token={token}", timeout=10) as r:
            assert r.status == 200 and b"JupyterLab" in r.read()
    finally:
        p.terminate()
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
        log.close()
