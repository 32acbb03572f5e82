"""The seed's data warehouse and dashboard (notebooks/warehouse.ipynb) end to end on a real Ferry server: the
notebook writes raw CSVs into a Volume, deploys app `warehouse` (a scheduled `build_models` that builds DuckDB
models into the volume, and a `%%web` dashboard), runs the models now, and queries them with `%%sql`. Then, from
other processes: the schedule's runs in `ferry app logs`, the dashboard rendered by headless Chromium with its
bars and labels (fetched with curl where Chromium is not installed), and a new raw file picked up by
`ferry app run-schedule`."""
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import nbformat
import pytest

from conftest import KERNEL_NAME, ferry, ferry_command, strip_ansi, web_server

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK = REPO / "notebooks" / "warehouse.ipynb"
APP_FILE = REPO / "notebooks" / "warehouse.jsh"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

REGIONS = ["north", "south", "east", "west"]
PRODUCTS = ["apples", "pears", "plums"]
PRICE_CENTS = [120, 90, 250]


def raw_rows(days=range(1, 15)):
    """The notebook's generator, in Python: (day, region, product, units, price_cents)."""
    return [(d, REGIONS[r], PRODUCTS[p], (d * 7 + r * 5 + p * 3) % 17 + 1, PRICE_CENTS[p])
            for d in days for r in range(len(REGIONS)) for p in range(len(PRODUCTS))]


def region_totals(rows):
    out = {}
    for _, region, _, units, price in rows:
        o, u, c = out.get(region, (0, 0, 0))
        out[region] = (o + 1, u + units, c + units * price)
    return out


def rendered_dom(url):
    """The page's DOM as headless Chromium parsed and rendered it (install/system-deps.sh --browser installs
    Chromium); without Chromium, the page as curl fetches it, and the browser-only checks are left out."""
    cmd = ([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", url] if CHROMIUM
           else ["curl", "-s", "--fail", "--max-time", "120", url])
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=150)
    assert p.returncode == 0, p.stderr[-2000:]
    return p.stdout


def bars(dom):
    """{region: revenue text} of the chart's <rect class="bar"> elements."""
    return {m.group(1): m.group(2) for m in
            re.finditer(r'<rect class="bar" data-region="([a-z]+)" data-revenue="([0-9.]+)"', dom)}


def labels(dom):
    return re.findall(r'<text class="label"[^>]*>([a-z]+)</text>', dom)


def table_rows(plain):
    """Rows of an Arrow table's text/plain rendering (`0 │ east │ 42 │ ...`) as lists of cell strings."""
    return [[cell.strip() for cell in line.split("│")[1:]] for line in plain.splitlines() if re.match(r"^\d+ │", line)]


def run_now(data_dir, function):
    """`ferry app run-schedule warehouse FUNCTION`, then `ferry call get` of its call: (exit status, output)."""
    call_id = ferry(data_dir, "app", "run-schedule", "warehouse", function).split()[0]
    assert call_id.startswith("fc-"), call_id
    p = subprocess.run([ferry_command(), "call", "get", call_id, "--timeout", "240s", "--data-dir", data_dir],
                       capture_output=True, text=True, timeout=300)
    return p.returncode, strip_ansi(p.stdout + p.stderr)


def euros(cents):
    return f"{cents // 100}.{cents % 100:02d}"


@pytest.fixture()
def server():
    with web_server("fwh", "warehouse") as s:
        yield s


def test_warehouse_notebook_schedule_sql_and_dashboard(server, tmp_path):
    data_dir, base = server
    nb = nbformat.read(NOTEBOOK, as_version=4)
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1 and "String base" in params[0].source, params
    params[0].source = f'String base = "{base}";'
    src = tmp_path / "warehouse.ipynb"
    nbformat.write(nb, src)
    env = dict(os.environ, FERRY_DATA_DIR=data_dir)
    p = subprocess.run(["/usr/bin/jupyter", "nbconvert", "--to", "notebook", "--execute",
                        f"--ExecutePreprocessor.kernel_name={KERNEL_NAME}", "--ExecutePreprocessor.timeout=600",
                        str(src), "--output-dir", str(tmp_path / "out")], env=env, capture_output=True, text=True,
                       timeout=1200)
    assert p.returncode == 0, p.stdout + p.stderr[-4000:]
    done = nbformat.read(tmp_path / "out" / "warehouse.ipynb", as_version=4)
    results = []
    for c in done.cells:
        if c.cell_type == "code":
            assert not [o for o in c.outputs if o.output_type == "error"], (c.source, c.outputs)
            plain = [o["data"]["text/plain"] for o in c.outputs if o.output_type == "execute_result"]
            results.append((c.source, plain[0] if plain else None, "".join(o.get("text", "") for o in c.outputs)))

    def result(starts):
        found = [r for r in results if r[0].startswith(starts) or r[0].splitlines()[-1].startswith(starts)]
        assert found, starts
        return found[0]

    rows = raw_rows()
    assert result("var raw")[1].startswith(f"14 files, {len(rows)} orders in {data_dir}/volumes/warehouse"), result("var raw")
    deploy = result("%deploy")[2]
    assert "Deployed warehouse (ap-" in deploy and "build_models  every 30s" in deploy, deploy
    assert f"%%web dashboard  {base}/dashboard/" in deploy, deploy
    assert f"from {len(rows)} raw rows into {data_dir}/volumes/warehouse/warehouse.duckdb" in result("Function.fromName")[1]

    # %%sql over the DuckDB file the function built: exact numbers of the deterministic data
    totals = region_totals(rows)
    sql_cells = [r for r in results if r[0].startswith("%%sql")]
    assert len(sql_cells) == 3, [r[0] for r in results]
    assert table_rows(sql_cells[0][1]) == [[reg, str(o), str(u), str(c / 100)] for reg, (o, u, c) in sorted(totals.items())], \
        sql_cells[0][1]
    by_day = {}
    for d, _, _, units, price in rows:
        u, c = by_day.get(d, (0, 0))
        by_day[d] = (u + units, c + units * price)
    top = sorted(by_day.items(), key=lambda kv: (-kv[1][1], kv[0]))[:3]
    assert table_rows(sql_cells[1][1]) == [[f"2026-11-{d:02d}", str(u), str(c / 100)] for d, (u, c) in top], sql_cells[1][1]
    by_product = {}
    for _, _, product, units, _ in rows:
        u, n = by_product.get(product, (0, 0))
        by_product[product] = (u + units, n + 1)
    assert table_rows(sql_cells[2][1]) == [[pr, str(u), str(n)] for pr, (u, n) in sorted(by_product.items())], sql_cells[2][1]

    # the notebook's HttpClient saw the dashboard and its JSON route
    assert result("import java.net.URI")[1] == "200 4 bars", result("import java.net.URI")
    api = result("var api")[1]
    assert api.startswith("200 "), api
    assert {r["region"]: (r["orders"], r["units"], round(r["revenue"] * 100)) for r in json.loads(api[4:])} == totals

    # the schedule runs by itself (every 30 s) beside the notebook's run: both in `ferry app logs`
    def succeeded():
        return ferry(data_dir, "app", "logs", "warehouse", "--function", "build_models").count("succeeded")
    deadline = time.time() + 240
    while succeeded() < 2 and time.time() < deadline:
        time.sleep(2)
    logs = ferry(data_dir, "app", "logs", "warehouse")
    assert logs.count("build_models") >= 2 and logs.count("succeeded") >= 2, logs
    assert "every 30s" in ferry(data_dir, "app", "list")

    # the dashboard in headless Chromium: one bar and one label per region, the revenue of each
    dom = rendered_dom(f"{base}/dashboard/")
    assert bars(dom) == {reg: euros(c) for reg, (_, _, c) in totals.items()}, dom[:3000]
    assert labels(dom) == sorted(totals), dom[:3000]
    if CHROMIUM:
        assert "<tbody>" in dom, dom[:3000]   # the browser's DOM (it adds <tbody>), not the page's bytes

    # a new day of raw data, rebuilt by "run now": the dashboard shows it
    day15 = raw_rows([15])
    csv = "order_id,day,region,product,units,unit_price_cents\n" + "".join(
        f"{1000 + i},2026-11-15,{reg},{prod},{units},{price}\n" for i, (_, reg, prod, units, price) in enumerate(day15))
    (Path(data_dir) / "volumes" / "warehouse" / "raw" / "sales" / "2026-11-15.csv").write_text(csv)
    code, got = run_now(data_dir, "build_models")
    assert code == 0 and f"from {len(rows) + len(day15)} raw rows" in got, got
    want = {reg: euros(c) for reg, (_, _, c) in region_totals(rows + day15).items()}
    # a scheduled run that read the raw files before 2026-11-15.csv and ended after this one would rename its
    # older build over it (the last build wins); the next run has the new file again, so wait for one that does
    deadline = time.time() + 120
    while bars(dom := rendered_dom(f"{base}/dashboard/")) != want and time.time() < deadline:
        time.sleep(2)
    assert bars(dom) == want, dom[:3000]


def test_the_app_file_deploys_loads_builds_and_serves_the_dashboard(server):
    data_dir, base = server
    out = ferry(data_dir, "deploy", str(APP_FILE))
    assert "Deployed warehouse (ap-" in out and "build_models  every 30s" in out, out
    assert f"%%web dashboard  {base}/dashboard/" in out, out
    # before any raw data: the run fails and says what to do; the dashboard says there are no models yet
    code, got = run_now(data_dir, "build_models")
    assert code != 0 and "no raw files in" in got and "ferry app run-schedule warehouse load_sample_data" in got, got
    assert "No models yet" in rendered_dom(f"{base}/dashboard/")
    code, got = run_now(data_dir, "load_sample_data")
    assert code == 0 and "14 files, 168 orders" in got, got
    code, got = run_now(data_dir, "build_models")
    assert code == 0 and "from 168 raw rows" in got, got
    totals = region_totals(raw_rows())
    p = subprocess.run(["curl", "-s", "--max-time", "120", f"{base}/dashboard/api/regions"], capture_output=True,
                       text=True, timeout=150)
    assert {r["region"]: (r["orders"], r["units"], round(r["revenue"] * 100)) for r in json.loads(p.stdout)} == totals, p
    dom = rendered_dom(f"{base}/dashboard/")
    assert bars(dom) == {reg: euros(c) for reg, (_, _, c) in totals.items()} and labels(dom) == sorted(totals), dom[:3000]
