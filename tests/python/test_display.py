"""Rich display through jupyter_client: display/update messages, renderers (record tables, images, charts),
progress bars and truncation. See docs/display.md."""
from __future__ import annotations

import base64

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def displays(r, kind="display_data"):
    return [m.content for m in r.of_type(kind)]


def display_id(content):
    return content.get("transient", {}).get("display_id")


def test_display_then_update_share_a_display_id(kernel):
    r = kernel.execute_ok('var h = display("first");\nh.update("second");')
    shown = r.of_type("display_data", "update_display_data")
    assert [m.msg_type for m in shown] == ["display_data", "update_display_data"], r.describe()
    first, second = shown[0].content, shown[1].content
    assert first["data"]["text/plain"] == "first"
    assert second["data"]["text/plain"] == "second"
    assert display_id(first) and display_id(first) == display_id(second), r.describe()


def test_html_markdown_and_mime(kernel):
    r = kernel.execute_ok('html("<b>bold</b>");\nmarkdown("*it*");\ndisplay("{\\"a\\": 1}", "application/json");')
    data = [d["data"] for d in displays(r)]
    assert data[0]["text/html"] == "<b>bold</b>", r.describe()
    assert data[1]["text/markdown"] == "*it*", r.describe()
    assert data[2]["application/json"] == '{"a": 1}', r.describe()


def row_cells(line):
    """The cells of one line of a text/plain table ("0 │ Ada │ 36" -> ["0", "Ada", "36"])."""
    return [c.strip() for c in line.split("│")]


def test_list_of_records_is_an_html_table_with_text_fallback(kernel):
    code = """record Person(String name, int age) {}
java.util.List.of(new Person("Ada", 36), new Person("Grace <&>", 85))"""
    r = kernel.execute_ok(code)
    assert r.results, r.describe()
    data = r.results[-1]["data"]
    html = data["text/html"]
    assert "<table" in html and '<th title="string">name</th><th title="int32">age</th>' in html, html
    assert "<td>Ada</td><td>36</td>" in html and "Grace &lt;&amp;&gt;" in html, html
    assert "<caption>2 rows × 2 columns</caption>" in html, html
    lines = data["text/plain"].splitlines()
    assert row_cells(lines[0]) == ["", "name", "age"], data["text/plain"]
    assert row_cells(lines[1]) == ["", "string", "int32"], data["text/plain"]
    assert row_cells(lines[3]) == ["0", "Ada", "36"], data["text/plain"]
    assert lines[-1] == "[2 rows × 2 columns]", data["text/plain"]
    # aligned: the column separators are at the same place on every line
    assert len({tuple(i for i, ch in enumerate(line) if ch in "│┼") for line in lines[:-1]}) == 1, data["text/plain"]


def test_a_list_of_records_looks_exactly_like_the_table_of_its_rows(kernel):
    kernel.execute_ok("record Sale(String region, int units, double price) {}\n"
                      "var sales = java.util.stream.IntStream.range(0, 1000)"
                      ".mapToObj(i -> new Sale(i % 2 == 0 ? \"north\" : \"south\", i, i * 1.5)).toList();")
    as_list = kernel.execute_ok("sales").results[-1]["data"]
    as_table = kernel.execute_ok("dev.ferry.arrow.Table.fromRecords(sales)").results[-1]["data"]
    assert as_list == as_table, (as_list, as_table)


def test_display_of_a_list_of_1000_records_shows_the_shape_and_head_and_tail(kernel):
    code = """record Reading(int id, String sensor) {}
display(java.util.stream.IntStream.range(0, 1000).mapToObj(i -> new Reading(i, "s" + i)).toList());"""
    r = kernel.execute_ok(code)
    data = displays(r)[0]["data"]
    html, text = data["text/html"], data["text/plain"]
    assert "<caption>1,000 rows × 2 columns (showing 20)</caption>" in html, html
    assert "<td>s9</td>" in html and "<td>s10</td>" not in html, html
    assert "<td>s990</td>" in html and "<td>s989</td>" not in html and "<td>s999</td>" in html, html
    assert "… 980 more rows …" in html, html
    lines = text.splitlines()
    assert lines[-1] == "[1,000 rows × 2 columns (showing 20)]", text
    rows = [row_cells(line) for line in lines[3:-1]]
    assert [row[0] for row in rows] == [str(i) for i in range(10)] + ["…"] + [str(i) for i in range(990, 1000)], text
    assert rows[0] == ["0", "0", "s0"] and rows[-1] == ["999", "999", "s999"], text


def test_a_million_records_show_head_and_tail_at_once(kernel):
    kernel.execute_ok("record Point3(int i, double x) {}\n"
                      "var million = java.util.stream.IntStream.range(0, 1_000_000)"
                      ".mapToObj(i -> new Point3(i, i / 2.0)).toList();", timeout=60)
    r = kernel.execute_ok("million", timeout=60)
    data = r.results[-1]["data"]
    assert data["text/plain"].endswith("[1,000,000 rows × 2 columns (showing 20)]"), data["text/plain"]
    assert "<td>999999</td><td>499999.5</td>" in data["text/html"], data["text/html"]
    assert len(data["text/html"]) < 5000 and len(data["text/plain"]) < 2000


def test_a_map_of_column_lists_is_a_table(kernel):
    code = """var cols = new java.util.LinkedHashMap<String, java.util.List<?>>();
cols.put("city", java.util.List.of("Lisbon", "Porto", "Braga"));
cols.put("people", java.util.List.of(545_000, 232_000, 193_000));
cols"""
    data = kernel.execute_ok(code).results[-1]["data"]
    assert "<caption>3 rows × 2 columns</caption>" in data["text/html"], data
    assert "<tr><th>1</th><td>Porto</td><td>232000</td></tr>" in data["text/html"], data
    assert row_cells(data["text/plain"].splitlines()[4]) == ["1", "Porto", "232000"], data["text/plain"]
    same = kernel.execute_ok("dev.ferry.arrow.Table.fromColumns(cols)").results[-1]["data"]
    assert same == data, (same, data)
    one = kernel.execute_ok('java.util.Map.of("a", java.util.List.of(1, 2))').results[-1]["data"]
    assert "<caption>2 rows × 1 column</caption>" in one["text/html"], one
    # lists of different lengths are not columns: shown as a map
    uneven = kernel.execute_ok('new java.util.TreeMap<>(java.util.Map.of("a", java.util.List.of(1, 2), '
                               '"b", java.util.List.of(3)))').results[-1]["data"]
    assert uneven == {"text/plain": "{a=[1, 2], b=[3]}"}, uneven


def test_display_of_a_record_is_a_table(kernel):
    kernel.execute_ok("record Pt(int x, int y) {}")
    r = kernel.execute_ok("display(new Pt(1, 2));")
    d = displays(r)[0]["data"]
    assert "<td>1</td><td>2</td>" in d["text/html"], d
    assert d["text/plain"] == "Pt[x=1, y=2]", d


def test_buffered_image_is_png(kernel):
    code = """var img = new java.awt.image.BufferedImage(40, 30, java.awt.image.BufferedImage.TYPE_INT_RGB);
var g = img.createGraphics(); g.setColor(java.awt.Color.RED); g.fillRect(0, 0, 20, 30); g.dispose();
img"""
    r = kernel.execute_ok(code, timeout=60)
    data = r.results[-1]["data"]
    png = base64.b64decode(data["image/png"])
    assert png.startswith(PNG_SIGNATURE), r.describe()
    assert data["text/plain"] == "BufferedImage 40×30"


def test_image_function_and_image_files(kernel, tmp_path):
    path = tmp_path / "x.png"
    code = f"""var img2 = new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_ARGB);
javax.imageio.ImageIO.write(img2, "png", new java.io.File("{path}"));
image(java.nio.file.Path.of("{path}"));
image(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("{path}")));
display(new java.io.File("{path}"));"""
    r = kernel.execute_ok(code, timeout=60)
    shown = displays(r)
    assert len(shown) == 3, r.describe()
    for d in shown:
        assert base64.b64decode(d["data"]["image/png"]) == path.read_bytes()
    bad = kernel.execute('image("/no/such/file.png")')
    assert bad.status == "error" and "no image file" in bad.error_text(), bad.describe()


def test_xchart_chart_is_png(kernel):
    code = """import org.knowm.xchart.*;
var chart = new XYChartBuilder().width(400).height(300).title("Squares").build();
chart.addSeries("x^2", new double[] {1, 2, 3, 4}, new double[] {1, 4, 9, 16});
chart"""
    r = kernel.execute_ok(code, timeout=90)
    data = r.results[-1]["data"]
    png = base64.b64decode(data["image/png"])
    assert png.startswith(PNG_SIGNATURE), r.describe()
    assert "Squares" in data["text/plain"]


def test_progress_shows_then_updates_to_100_percent(kernel):
    code = """var p = progress("Building", 50);
for (int i = 0; i < 50; i++) { Thread.sleep(10); p.advance(1); }
p.done();"""
    r = kernel.execute_ok(code, timeout=60)
    first = r.of_type("display_data")
    updates = r.of_type("update_display_data")
    assert len(first) == 1 and updates, r.describe()
    pid = display_id(first[0].content)
    assert pid and all(display_id(u.content) == pid for u in updates), r.describe()
    assert first[0].content["data"]["text/plain"].startswith("Building: 0/50"), r.describe()
    last = updates[-1].content["data"]
    assert last["text/plain"] == "Building: 50/50 [====================] 100%", r.describe()
    assert '<progress value="50" max="50"' in last["text/html"], last
    # throttled: about 10 a second for ~0.5 s of work (far fewer than the 50 steps)
    assert len(updates) < 25, r.describe()


def test_user_renderer_registration(kernel):
    code = """record Money(long cents) {}
renderers().register(Money.class, m -> java.util.Map.of("text/html", "<b>$" + m.cents() / 100 + "</b>", "text/plain", "$" + m.cents() / 100));
new Money(1234)"""
    r = kernel.execute_ok(code)
    data = r.results[-1]["data"]
    assert data == {"text/html": "<b>$12</b>", "text/plain": "$12"}, r.describe()


def test_huge_list_is_truncated(kernel):
    r = kernel.execute_ok("java.util.stream.IntStream.range(0, 2_000_000).boxed().toList()", timeout=60)
    text = r.results[-1]["data"]["text/plain"]
    assert text.startswith("[0, 1, 2, ") and text.endswith("… (1999900 more)]"), text[-200:]
    assert len(text) < 2000


def test_huge_text_is_truncated(kernel):
    r = kernel.execute_ok('"x".repeat(3_000_000)', timeout=60)
    text = r.results[-1]["data"]["text/plain"]
    assert len(text) < 102_000 and "output truncated: 3000000 characters in all" in text


def test_huge_record_table_shows_head_and_tail(kernel):
    code = """record Row(int i, String s) {}
java.util.stream.IntStream.range(0, 100_000).mapToObj(i -> new Row(i, "r" + i)).toList()"""
    r = kernel.execute_ok(code, timeout=60)
    data = r.results[-1]["data"]
    assert "100,000 rows × 2 columns (showing 20)" in data["text/html"] and "<td>r99999</td>" in data["text/html"]
    assert "<td>r5000</td>" not in data["text/html"]
    assert data["text/plain"].endswith("[100,000 rows × 2 columns (showing 20)]"), data["text/plain"]
    assert len(data["text/html"]) < 20_000


# --------------------------------------------------------------------------------------------
# notebooks/display-and-magics.ipynb, the "## Rich display" part (the magics part: test_notebooks.py)
# --------------------------------------------------------------------------------------------

def test_notebook_rich_display_cells(tmp_path):
    import os
    import subprocess
    from pathlib import Path

    import nbformat

    from conftest import KERNEL_NAME

    src = Path(__file__).resolve().parents[2] / "notebooks" / "display-and-magics.ipynb"
    env = dict(os.environ)
    env["FERRY_DATA_DIR"] = str(tmp_path / "ferry-data")
    cmd = ["/usr/bin/jupyter", "nbconvert", "--to", "notebook", "--execute",
           f"--ExecutePreprocessor.kernel_name={KERNEL_NAME}", "--ExecutePreprocessor.timeout=120",
           str(src), "--output-dir", str(tmp_path / "out")]
    p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, f"nbconvert failed ({p.returncode}):\n{p.stdout}\n{p.stderr[-3000:]}"
    nb = nbformat.read(tmp_path / "out" / src.name, as_version=4)
    start = next(i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and c.source.startswith("## Rich display"))
    cells = [c for c in nb.cells[start:] if c.cell_type == "code"]

    def cell(first_line):
        found = [c for c in cells if c.source.splitlines()[0].startswith(first_line)]
        assert len(found) == 1, (first_line, [c.source for c in cells])
        c = found[0]
        assert not [o for o in c.outputs if o.output_type == "error"], (c.source, c.outputs)
        return c

    def data(c, kind):
        out = [o["data"] for o in c.outputs if o.output_type == kind]
        assert out, (c.source, c.outputs)
        return out[-1]

    # nbclient applies update_display_data to the output it names
    assert data(cell('var status = display('), "display_data")["text/plain"] == "done"
    table = data(cell("record City("), "execute_result")
    assert ('<th title="string">name</th><th title="string">country</th><th title="int32">population</th>'
            in table["text/html"]), table
    assert "<caption>3 rows × 3 columns</caption>" in table["text/html"], table
    assert row_cells(table["text/plain"].splitlines()[3]) == ["0", "Lisbon", "Portugal", "545000"], table
    for first in ("var img = ", "javax.imageio.ImageIO.write(img"):
        c = cell(first)
        d = data(c, "execute_result" if first.startswith("var") else "display_data")
        assert base64.b64decode(d["image/png"]).startswith(PNG_SIGNATURE)
    chart = data(cell("import org.knowm.xchart.*;"), "execute_result")
    assert base64.b64decode(chart["image/png"]).startswith(PNG_SIGNATURE)
    assert "Squares and cubes" in chart["text/plain"]
    prog = data(cell('var p = progress('), "display_data")
    assert prog["text/plain"] == "Building: 40/40 [====================] 100%", prog
    custom = data(cell("renderers().register(City.class"), "execute_result")
    assert custom == {"text/html": "<b>Lisbon</b>, Portugal", "text/plain": "Lisbon, Portugal"}, custom
    big = data(cell("java.util.stream.IntStream.range(0, 1_000_000)"), "execute_result")["text/plain"]
    assert big.endswith("… (999900 more)]"), big[-100:]
    readings = data(cell("record Reading("), "execute_result")
    assert readings["text/plain"].endswith("[1,000,000 rows × 2 columns (showing 20)]"), readings["text/plain"]


def test_update_with_html_shows_the_html(kernel):
    kernel.execute_ok('var hh = display("working");')
    hid = kernel.value_of("hh.id()")
    r = kernel.execute_ok('hh.update(html("<b>done</b>"))')
    updates = [c for c in displays(r, "update_display_data") if display_id(c) == hid]
    assert updates and updates[-1]["data"].get("text/html") == "<b>done</b>", r.describe()
    assert "DisplayHandle" not in str(r.describe()), r.describe()
    # the html(...) output moved into hh: its own output is emptied, and the handle is no cell value
    moved = [c for c in displays(r, "update_display_data") if display_id(c) != hid]
    assert moved and moved[-1]["data"] == {"text/plain": ""}, r.describe()
    assert not r.results, r.describe()


def test_a_cell_ending_in_html_shows_it_once(kernel):
    r = kernel.execute_ok('html("<i>once</i>")')
    assert [d["data"].get("text/html") for d in displays(r)] == ["<i>once</i>"], r.describe()
    assert not r.results, r.describe()
