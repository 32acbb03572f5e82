"""%maven, %mavenRepo and %classpath end to end: resolve from Maven Central (reachable here) into the
user's local repository, then use the classes in the next cell."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import strip_ansi

MATH3 = "org.apache.commons:commons-math3:3.6.1"


def test_maven_then_use_in_the_next_cell(kernel):
    r = kernel.execute_ok(f"%maven {MATH3}", timeout=180)
    out = strip_ansi(r.stdout)
    assert "Added 1 jar: commons-math3-3.6.1.jar" in out, r.describe()
    assert "SLF4J" not in r.stdout + r.stderr, r.describe()
    value = kernel.value_of(
        "var stats = new org.apache.commons.math3.stat.descriptive.DescriptiveStatistics();\n"
        "for (double d : new double[] {1, 2, 3, 4}) stats.addValue(d);\n"
        "stats.getMean()")
    assert value == "2.5"
    # imports work too
    assert kernel.value_of("import org.apache.commons.math3.util.FastMath;\nFastMath.max(3, 7)") == "7"


def test_maven_again_is_fast_and_skips_what_is_there(kernel):
    kernel.execute_ok(f"%maven {MATH3}", timeout=180)  # whatever ran before, the jar is local now
    times = []
    for _ in range(5):
        r = kernel.execute_ok(f"%maven {MATH3}")
        times.append(r.reply_at - r.sent_at)
        assert "already on the class path" in strip_ansi(r.stdout), r.describe()
        assert not r.of_type("display_data"), "a local resolution shows no progress bar"
    best = min(times)
    print(f"warm %maven of a local artifact: best {best * 1000:.0f} ms, all {[round(t * 1000) for t in times]}")
    assert best < 0.3, f"warm %maven took {best * 1000:.0f} ms (target 300 ms)"


def test_missing_artifact_is_a_clear_error(kernel):
    r = kernel.execute("%maven org.nope:nope:1.0", timeout=120)
    assert r.status == "error", r.describe()
    text = r.error_text()
    assert "could not find org.nope:nope:1.0 in central (https://repo.maven.apache.org/maven2/)" in text, text
    assert "check the coordinates" in text
    assert "Exception" not in text.replace("MagicException", ""), text  # no stack trace


def test_malformed_coordinates_and_bad_repository(kernel):
    r = kernel.execute("%maven commons-math3")
    assert r.status == "error"
    assert "malformed coordinates 'commons-math3': expected group:artifact:version" in r.error_text()
    r = kernel.execute("%mavenRepo mine ftp://example.com/repo")
    assert r.status == "error"
    assert "is not an http, https or file URL" in r.error_text()


def test_classpath_adds_a_class_folder_and_errors_on_no_match(kernel, tmp_path):
    javac = shutil.which("javac")
    if javac is None:
        pytest.skip("no javac on PATH")
    src = tmp_path / "src" / "demo"
    src.mkdir(parents=True)
    (src / "Hello.java").write_text("package demo; public class Hello { public String hi() { return \"hi\"; } }")
    subprocess.run([javac, "-d", str(tmp_path / "classes"), str(src / "Hello.java")], check=True)
    r = kernel.execute_ok(f"%classpath {tmp_path / 'classes'}")
    assert "Added 1 folder: classes" in strip_ansi(r.stdout), r.describe()
    assert kernel.value_of("new demo.Hello().hi()").strip('"') == "hi"

    r = kernel.execute(f"%classpath {tmp_path}/*.jar")
    assert r.status == "error"
    assert f"'{tmp_path}/*.jar' matches no jar or folder in {tmp_path}" in r.error_text(), r.error_text()


def test_download_shows_a_progress_bar(kernel_factory, tmp_path):
    """With an empty local repository the artifact comes from Central, under a live progress bar."""
    repo = tmp_path / "m2"
    k = kernel_factory(extra_env={"JAVA_TOOL_OPTIONS": f"-Dmaven.repo.local={repo}"})
    r = k.execute_ok(f"%maven {MATH3}", timeout=180)
    shown = r.of_type("display_data")
    updates = r.of_type("update_display_data")
    assert len(shown) == 1 and updates, r.describe()
    ids = {m.content["transient"]["display_id"] for m in shown + updates}
    assert len(ids) == 1, ids
    assert shown[0].content["data"]["text/plain"].startswith(f"Resolving {MATH3} from central")
    final = updates[-1].content["data"]["text/plain"]
    assert final.startswith(f"Resolved {MATH3}: downloaded ") and final.endswith("(done)"), final
    assert "text/html" in updates[-1].content["data"]
    assert "Added 1 jar: commons-math3-3.6.1.jar" in strip_ansi(r.stdout), r.describe()
    assert (repo / "org/apache/commons/commons-math3/3.6.1/commons-math3-3.6.1.jar").is_file()
    assert k.value_of("org.apache.commons.math3.util.FastMath.abs(-2)") == "2"


def test_first_maven_in_a_fresh_worker(kernel_factory):
    """The first %maven in a worker also builds the repository system: measured (printed), loosely bounded."""
    k = kernel_factory()
    k.execute_ok("1 + 1", timeout=60)  # the worker is up and has run a cell
    r = k.execute_ok(f"%maven {MATH3}", timeout=180)  # local already (the tests above put it there)
    first = r.reply_at - r.sent_at
    print(f"first %maven of a local artifact in a fresh worker: {first * 1000:.0f} ms")
    assert "Added 1 jar" in strip_ansi(r.stdout), r.describe()
    assert first < 30
