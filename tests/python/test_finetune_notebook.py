"""Execute notebooks/finetune.ipynb headless on the CPU path: pretrain, fine-tune vs scratch, samples, resume."""
import os
import re
import subprocess
from pathlib import Path

import nbformat
import pytest

from conftest import KERNEL_NAME

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK = REPO / "notebooks" / "finetune.ipynb"
CLASSES = REPO / "train" / "target" / "classes" / "dev" / "ferry" / "train" / "Gpt.class"


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    assert CLASSES.exists(), "train/ is not built: run `mvn -B -q -pl train -am compile` first"
    out = tmp_path_factory.mktemp("nb-out")
    env = dict(os.environ, FERRY_TRAIN_RUNS=str(tmp_path_factory.mktemp("runs")),
               FERRY_DATA_DIR=str(tmp_path_factory.mktemp("ferry-data")))
    cmd = ["/usr/bin/jupyter", "nbconvert", "--to", "notebook", "--execute",
           f"--ExecutePreprocessor.kernel_name={KERNEL_NAME}", "--ExecutePreprocessor.timeout=300",
           str(NOTEBOOK), "--output-dir", str(out)]
    p = subprocess.run(cmd, env=env, cwd=NOTEBOOK.parent, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, f"nbconvert failed ({p.returncode}):\n{p.stdout}\n{p.stderr}"
    return nbformat.read(out / NOTEBOOK.name, as_version=4)


def _text(nb):
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                   for o in c.outputs if o.output_type == "stream")


def test_source_is_committed_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    assert all(not c.outputs for c in nb.cells if c.cell_type == "code")


def test_runs_on_the_cpu_and_says_why(executed):
    text = _text(executed)
    assert re.search(r"train: .*; using the cpu \(\d+ threads?\) backend", text), text
    assert "fortunes: " in text, text
    assert re.search(r"pretrain: steps 0 -> 300, \d+ tokens/s", text), text


def test_fine_tuned_beats_scratch_and_resume_is_identical(executed):
    text = _text(executed)
    m = re.search(r"fine-tuned (\d+\.\d+), scratch (\d+\.\d+)", text)
    assert m and float(m.group(1)) < float(m.group(2)), text
    assert "resumed at step 20" in text and "identical losses: true" in text, text


def test_charts_and_samples_are_shown(executed):
    svgs = [o["data"]["image/svg+xml"] for c in executed.cells if c.cell_type == "code"
            for o in c.outputs if o.output_type == "display_data" and "image/svg+xml" in o.get("data", {})]
    assert len(svgs) == 2, svgs
    assert "val " in svgs[0] and "fine-tuned " in svgs[1] and "scratch " in svgs[1], svgs
    html = [o["data"]["text/html"] for c in executed.cells if c.cell_type == "code"
            for o in c.outputs if "text/html" in o.get("data", {})]
    assert any("<th>fine-tuned</th>" in h for h in html), html
