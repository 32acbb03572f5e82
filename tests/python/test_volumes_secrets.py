"""Volume and Secret from notebook cells: a volume read by %%sql as Parquet; a secret that never shows."""
import json
import os
import re
import stat
import tempfile

import pytest

from conftest import Kernel

SECRET_VALUE = "sk-ferry-test-9f8e7d6c5b4a"


def _all_output(r) -> str:
    """Everything the kernel sent for a request: iopub contents and the reply."""
    return json.dumps([x.content for x in r.iopub], default=str) + json.dumps(r.reply, default=str)


@pytest.fixture(scope="module")
def vs_kernel():
    data = tempfile.mkdtemp(prefix="ferry-vs-data-")
    config = tempfile.mkdtemp(prefix="ferry-vs-config-")
    k = Kernel(data_dir=data, extra_env={"FERRY_CONFIG_DIR": config})
    k.config_dir = config
    yield k
    k.close()


def test_volume_written_in_a_cell_is_read_by_sql_as_parquet(vs_kernel):
    k = vs_kernel
    k.execute_ok('var vol = Volume.fromName("ds", true);\n'
                 'vol.write("raw/hello.txt", "hi".getBytes());\n'
                 'vol.commit();')
    assert os.path.isfile(os.path.join(k.data_dir, "volumes", "ds", "raw", "hello.txt"))
    r = k.execute("%%sql\nCOPY (SELECT range AS id, range * 2 AS twice FROM range(500)) "
                  "TO 'vol:ds/t.parquet' (FORMAT PARQUET)")
    assert r.status == "ok", r.describe()
    r = k.execute("%%sql\nSELECT count(*) AS n, sum(twice) AS s FROM 'vol:ds/t.parquet'")
    assert r.status == "ok", r.describe()
    html = r.results[0]["data"]["text/html"]
    assert ">500<" in html and ">249500<" in html, html
    # the Java side sees the file DuckDB wrote
    assert k.value_of('vol.listFiles("").stream().map(f -> f.path()).toList()') == "[raw, t.parquet]"
    r = k.execute("%%sql\nSELECT * FROM 'vol:nosuchvol/t.parquet'")
    assert r.status == "error", r.describe()
    assert "Volume 'nosuchvol' does not exist" in r.error_text(), r.describe()


def test_volume_path_escape_is_a_clear_error(vs_kernel):
    r = vs_kernel.execute('Volume.fromName("ds", true).read("../../etc/passwd")')
    assert r.status == "error", r.describe()
    assert "escapes volume 'ds'" in r.error_text(), r.describe()


def test_secret_created_and_used_never_shown(vs_kernel):
    k = vs_kernel
    outputs = []
    r = k.execute_ok(f'var s = Secret.create("openai", java.util.Map.of("K", "{SECRET_VALUE}"));')
    path = os.path.join(k.config_dir, "secrets", "openai.env")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode) == 0o700
    r = k.execute('Secret.fromName("openai").get("K").length()')
    assert r.status == "ok", r.describe()
    assert r.results[0]["data"]["text/plain"] == str(len(SECRET_VALUE))
    outputs.append(r)
    r = k.execute("s")
    assert r.status == "ok", r.describe()
    data = r.results[0]["data"]
    assert data["text/plain"] == "Secret[name=openai, keys=[K], values hidden]", data
    assert "K" in data["text/html"], data
    outputs.append(r)
    r = k.execute('System.out.println(s); s.get("MISSING")')
    assert r.status == "error", r.describe()
    assert "values hidden" in r.stdout and "MISSING" in r.error_text(), r.describe()
    outputs.append(r)
    for magic in ("%who", "%whos"):
        r = k.execute(magic)
        assert r.status == "ok", r.describe()
        assert "s" in r.stdout, r.describe()
        outputs.append(r)
    assert re.search(r"^s\s+Secret\s+Secret\[name=openai", outputs[-1].stdout, re.M), outputs[-1].describe()
    r = k.execute('Secret.create("openai", java.util.Map.of("K", "other"))')
    assert r.status == "error" and "already exists" in r.error_text(), r.describe()
    outputs.append(r)
    r = k.execute('Secret.fromName("nope")')
    assert r.status == "error" and "nope.env" in r.error_text() and "Secret.create" in r.error_text(), r.describe()
    outputs.append(r)
    for o in outputs:
        assert SECRET_VALUE not in _all_output(o), o.describe()
    k.execute_ok('Secret.delete("openai");')
    assert not os.path.exists(path)
