"""%%sql through a real kernel: DuckDB in memory, a SQLite file, parameters, out=, Arrow tables by name."""
import os
import sqlite3
import tempfile


def _html(r):
    assert r.status == "ok", r.describe()
    assert r.results, r.describe()
    data = r.results[0]["data"]
    assert "text/html" in data and "text/plain" in data, r.describe()
    return data["text/html"], data["text/plain"]


def test_default_duckdb_create_insert_select_shows_html_table(kernel):
    r = kernel.execute(
        "%%sql\nCREATE TABLE pets(id INTEGER, name VARCHAR);\n"
        "INSERT INTO pets VALUES (1, 'Rex'), (2, '<Tom>');\nSELECT * FROM pets ORDER BY id")
    html, text = _html(r)
    assert "2 rows affected" in r.stdout, r.describe()
    assert "<table" in html and "Rex" in html and "&lt;Tom&gt;" in html, html
    assert "2 rows" in html, html
    assert "Rex" in text and "2 rows" in text, text
    # the same in-memory database in the next cell
    html, _ = _html(kernel.execute("%%sql\nSELECT count(*) AS n FROM pets"))
    assert ">2<" in html, html


def test_sqlite_file_with_transaction(kernel):
    d = tempfile.mkdtemp(prefix="ferry-sql-")
    kernel.execute_ok(f"%cd {d}")
    try:
        r = kernel.execute("%%sql db=sqlite:test.db\nCREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);\n"
                           "BEGIN;\nINSERT INTO t(v) VALUES ('x'), ('y');\nCOMMIT;")
        assert r.status == "ok", r.describe()
        assert "2 rows affected" in r.stdout, r.describe()
        html, _ = _html(kernel.execute("%%sql db=sqlite:test.db\nSELECT v FROM t ORDER BY id"))
        assert "x" in html and "y" in html, html
        with sqlite3.connect(os.path.join(d, "test.db")) as c:  # committed: another process sees it
            assert c.execute("SELECT count(*) FROM t").fetchone()[0] == 2
    finally:
        kernel.execute_ok("%cd -")


def test_param_from_java_variable_is_bound(kernel):
    kernel.execute_ok('int minId = 2; String evil = "x\' OR 1=1 --";')
    html, _ = _html(kernel.execute(
        "%%sql\nSELECT i FROM range(5) r(i) WHERE i >= :minId AND :evil <> 'y' ORDER BY i"))
    assert "3 rows" in html, html
    r = kernel.execute("%%sql\nSELECT :evil AS s")
    html, _ = _html(r)
    assert "x&#39; OR 1=1 --" in html or "x' OR 1=1 --" in html, html
    r = kernel.execute("%%sql\nSELECT :undefinedVar")
    assert r.status == "error" and "undefinedVar" in r.error_text(), r.describe()


def test_out_binds_a_table_in_java(kernel):
    r = kernel.execute("%%sql out=t\nSELECT i, i * 2 AS twice FROM range(1000) r(i)")
    assert r.status == "ok", r.describe()
    assert kernel.value_of("t.rowCount()") == "1000"


def test_duckdb_queries_a_table_variable_by_name(kernel):
    kernel.execute_ok('var sales = dev.ferry.arrow.Table.fromColumns(new java.util.LinkedHashMap<>(java.util.Map.of('
                      '"region", java.util.List.of("north", "south", "north"), "units", java.util.List.of(3, 4, 5))));')
    html, _ = _html(kernel.execute(
        "%%sql\nSELECT region, sum(units) AS total FROM sales GROUP BY region ORDER BY region"))
    assert "north" in html and ">8<" in html, html
    # a second query reads it again (registered per statement)
    html, _ = _html(kernel.execute("%%sql\nSELECT count(*) AS n FROM sales"))
    assert ">3<" in html, html


def test_a_real_duckdb_table_wins_over_an_out_table_of_the_same_name(kernel):
    """docs/sql.md: a DuckDB table of the same name takes precedence over a notebook Table variable."""
    r = kernel.execute(
        "%%sql out=herd\nCREATE TABLE herd(id INTEGER, name VARCHAR, species VARCHAR);\n"
        "INSERT INTO herd VALUES (1, 'Rex', 'dog'), (2, 'Tom', 'cat'), (3, 'Fido', 'dog');\n"
        "SELECT species, count(*) AS n FROM herd GROUP BY species ORDER BY species")
    html, _ = _html(r)
    assert "cat" in html and "dog" in html, html
    assert "out=herd" in r.stderr and "DuckDB table" in r.stderr, r.describe()
    assert kernel.value_of("herd.rowCount()") == "2"  # the Java variable holds the grouped result
    kernel.execute_ok('String wanted = "dog";')
    r = kernel.execute("%%sql\nSELECT name FROM herd WHERE species = :wanted ORDER BY id")
    html, _ = _html(r)
    assert "Rex" in html and "Fido" in html and "Tom" not in html, html
    assert "herd is a DuckDB table" in r.stderr, r.describe()
    # same columns in both: still the table's rows, never the variable's
    kernel.execute_ok("%%sql out=herd\nSELECT * FROM herd WHERE id = 2")
    html, _ = _html(kernel.execute("%%sql\nSELECT count(*) AS n FROM herd"))
    assert ">3<" in html, html


def test_sum_of_integers_is_an_integer_not_a_38_digit_decimal(kernel):
    html, text = _html(kernel.execute("%%sql out=tot\nSELECT sum(i) AS total FROM range(10) r(i)"))
    assert ">45<" in html and "int64" in text and "decimal" not in text, text
    assert kernel.value_of('tot.column("total").get(0) instanceof Long') == "true"


def test_sql_error_shows_the_statement(kernel):
    r = kernel.execute("%%sql\nSELECT 1;\nSELEC oops FROM nowhere")
    assert r.status == "error", r.describe()
    text = r.error_text()
    assert "SELEC oops FROM nowhere" in text and "statement 2 of 2" in text, text
    assert "Traceback" not in text and "at dev.ferry" not in text, text


def test_bad_db_argument_lists_the_forms(kernel):
    r = kernel.execute("%%sql db=postgres:x\nSELECT 1")
    assert r.status == "error", r.describe()
    assert "sqlite:PATH" in r.error_text() and "postgres:x" in r.error_text(), r.describe()


def test_a_big_duckdb_result_shows_its_first_rows_before_the_rest_is_read(kernel):
    """More than one Arrow batch: a display with the first rows at once, then replaced by the whole result."""
    r = kernel.execute("%%sql out=big limit=5\nSELECT range AS i, range * 2 AS j FROM range(1000000)", timeout=120)
    assert r.status == "ok", r.describe()
    shown = r.of_type("display_data", "update_display_data")
    assert [m.msg_type for m in shown] == ["display_data", "update_display_data"], r.describe()
    first, final = shown[0].content, shown[1].content
    display_id = first["transient"]["display_id"]
    assert final["transient"]["display_id"] == display_id
    assert "reading the rest" in first["data"]["text/plain"], first
    # the first rows do not pass for the whole result
    assert "<caption>first 5 rows × 2 columns; reading the rest" in first["data"]["text/html"], first
    assert "[5 rows" not in first["data"]["text/plain"], first
    assert "1,000,000 rows" in final["data"]["text/plain"] or "1000000 rows" in final["data"]["text/plain"], final
    assert not r.results, r.describe()  # no second copy as the cell's value
    assert kernel.execute_ok("big.rowCount()").results[0]["data"]["text/plain"] == "1000000"
    # a small result is still the cell's value
    small = kernel.execute_ok("%%sql\nSELECT 42 AS answer")
    assert small.results and not small.of_type("display_data"), small.describe()


def test_interrupt_cancels_a_running_query(kernel):
    import time
    kernel.execute_ok("%%sql\nSELECT 1")
    msg_id = kernel.kc.execute("%%sql\nSELECT count(*) FROM range(100000000000) a")
    time.sleep(2)
    t0 = time.monotonic()
    kernel.km.interrupt_kernel()
    r = kernel.wait(msg_id, timeout=30)
    assert r.status == "error" and "interrupt" in r.describe().lower(), r.describe()
    assert r.reply_at - t0 < 2.0, f"the query stopped {r.reply_at - t0:.2f}s after the interrupt"
    assert kernel.execute_ok("%%sql\nSELECT 2 AS two").results, "the connection works after the cancel"
