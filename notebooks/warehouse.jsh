// warehouse.jsh: Modal's dbt_duckdb and Streamlit examples as a Ferry app file (the format: docs/apps.md, "The
// .jsh app file"); notebooks/warehouse.ipynb is the same app, driven from a notebook. Raw sales CSVs live in the
// Volume `warehouse`; build_models (every 30s) builds DuckDB models from them into warehouse.duckdb in the volume
// (a staging view stg_sales, the aggregate tables daily_sales and region_totals); the %%web app `dashboard`
// draws region_totals as an SVG bar chart.
//
//   ferry deploy notebooks/warehouse.jsh                       # prints the app id, the schedule, the dashboard URL
//   ferry app run-schedule warehouse load_sample_data          # 14 days of made-up sales into the volume
//   ferry app run-schedule warehouse build_models              # build the models now (else within 30 s)
//   curl -s http://127.0.0.1:7471/warehouse/dashboard/api/regions
//   chromium --headless --dump-dom http://127.0.0.1:7471/warehouse/dashboard/   # or open it in a browser
//%% where the models live: a DuckDB file in the volume (the server's workers see the same data directory)
java.nio.file.Path warehouseFile() { return Volume.fromName("warehouse").resolve("warehouse.duckdb"); }
//%% sample raw data: fourteen days, four regions, three products, deterministic (a real pipeline drops exports here)
%%function
String load_sample_data() {
    var raw = Volume.fromName("warehouse", true);
    String[] regions = {"north", "south", "east", "west"};
    String[] products = {"apples", "pears", "plums"};
    int[] priceCents = {120, 90, 250};
    int orderId = 0;
    for (int day = 1; day <= 14; day++) {
        var csv = new StringBuilder("order_id,day,region,product,units,unit_price_cents\n");
        for (int r = 0; r < regions.length; r++) {
            for (int p = 0; p < products.length; p++) {
                int units = (day * 7 + r * 5 + p * 3) % 17 + 1;
                csv.append(++orderId).append(",2026-11-").append(String.format("%02d", day)).append(',')
                   .append(regions[r]).append(',').append(products[p]).append(',').append(units).append(',')
                   .append(priceCents[p]).append('\n');
            }
        }
        raw.write(String.format("raw/sales/2026-11-%02d.csv", day), csv.toString().getBytes());
    }
    raw.commit();
    return raw.listFiles("raw/sales").size() + " files, " + orderId + " orders in " + raw.path();
}
//%% the models: built in a new file, then renamed over warehouse.duckdb (readers never wait on a lock)
%%function schedule="every 30s" timeout=300
String build_models() throws Exception {
    java.nio.file.Path rawDir = Volume.fromName("warehouse", true).resolve("raw/sales");
    try (var files = java.nio.file.Files.list(rawDir)) {
        if (files.noneMatch(f -> f.toString().endsWith(".csv"))) throw new java.nio.file.NoSuchFileException(rawDir.toString());
    } catch (java.nio.file.NoSuchFileException none) {
        throw new IllegalStateException("no raw files in " + rawDir + ": write some first (warehouse.ipynb's first cell,"
                + " or ferry app run-schedule warehouse load_sample_data for warehouse.jsh)");
    }
    String rawFiles = rawDir + "/*.csv";
    java.nio.file.Path target = warehouseFile();
    java.nio.file.Path build = target.resolveSibling("warehouse.duckdb.build-" + java.util.UUID.randomUUID());
    long rows;
    try (var db = java.sql.DriverManager.getConnection("jdbc:duckdb:" + build); var sql = db.createStatement()) {
        // staging: typed, cleaned rows straight from the raw files (a view: it reads them when queried)
        sql.execute("CREATE VIEW stg_sales AS SELECT order_id::INTEGER AS order_id, day::DATE AS day,"
                + " lower(trim(region)) AS region, product, units::INTEGER AS units,"
                + " unit_price_cents::INTEGER AS unit_price_cents,"
                + " units::INTEGER * unit_price_cents::INTEGER AS revenue_cents"
                + " FROM read_csv('" + rawFiles.replace("'", "''") + "', header = true, all_varchar = true)");
        // marts: aggregate tables, materialized at each build
        sql.execute("CREATE TABLE daily_sales AS SELECT day, region, count(*)::INTEGER AS orders,"
                + " sum(units)::INTEGER AS units, sum(revenue_cents)::BIGINT AS revenue_cents"
                + " FROM stg_sales GROUP BY day, region ORDER BY day, region");
        sql.execute("CREATE TABLE region_totals AS SELECT region, sum(orders)::INTEGER AS orders,"
                + " sum(units)::INTEGER AS units, sum(revenue_cents)::BIGINT AS revenue_cents,"
                + " count(DISTINCT day)::INTEGER AS days FROM daily_sales GROUP BY region ORDER BY region");
        try (var rs = sql.executeQuery("SELECT count(*) FROM stg_sales")) { rs.next(); rows = rs.getLong(1); }
        sql.execute("CHECKPOINT");
    } catch (Exception e) {
        java.nio.file.Files.deleteIfExists(build);
        throw e;
    }
    java.nio.file.Files.move(build, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    String done = "built stg_sales, daily_sales, region_totals from " + rows + " raw rows into " + target;
    System.out.println(done);
    return done;
}
//%% the dashboard: Javalin, brought by %maven (the server's worker resolves it again)
%maven io.javalin:javalin:7.2.3
//%%
import io.javalin.Javalin;
//%%
// region_totals as rows of [region, orders, units, revenue_cents]; empty before the first build
List<Object[]> regionTotals() throws Exception {
    var rows = new ArrayList<Object[]>();
    if (!java.nio.file.Files.exists(warehouseFile())) return rows;
    var props = new java.util.Properties();
    props.setProperty("duckdb.read_only", "true");
    try (var db = java.sql.DriverManager.getConnection("jdbc:duckdb:" + warehouseFile(), props);
         var rs = db.createStatement().executeQuery(
                 "SELECT region, orders, units, revenue_cents FROM region_totals ORDER BY region")) {
        while (rs.next()) rows.add(new Object[] {rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getLong(4)});
    }
    return rows;
}

String euros(long cents) { return String.format(java.util.Locale.ROOT, "%d.%02d", cents / 100, cents % 100); }

String escapeHtml(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
}

String dashboardHtml() throws Exception {
    var rows = regionTotals();
    var page = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>Sales dashboard</title>"
            + "<style>body{font-family:sans-serif;margin:2em} .bar{fill:#3b7dd8} text{font-size:13px}</style>"
            + "</head><body><h1>Revenue by region</h1>");
    if (rows.isEmpty()) {
        return page.append("<p id=\"empty\">No models yet: run <code>ferry app run-schedule warehouse build_models</code>.</p>"
                + "</body></html>").toString();
    }
    long max = rows.stream().mapToLong(r -> (Long) r[3]).max().orElse(1);
    int barW = 80, gap = 30, h = 220, top = 20;
    page.append("<svg id=\"chart\" role=\"img\" aria-label=\"revenue by region\" width=\"")
        .append(rows.size() * (barW + gap) + gap).append("\" height=\"").append(h + top + 40).append("\">");
    for (int i = 0; i < rows.size(); i++) {
        Object[] r = rows.get(i);
        String region = escapeHtml((String) r[0]);
        long cents = (Long) r[3];
        int bh = (int) Math.round(h * (double) cents / max), x = gap + i * (barW + gap), y = top + h - bh;
        page.append("<rect class=\"bar\" data-region=\"").append(region).append("\" data-revenue=\"").append(euros(cents))
            .append("\" x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"").append(barW)
            .append("\" height=\"").append(bh).append("\"><title>").append(region).append(": ").append(euros(cents))
            .append("</title></rect>")
            .append("<text class=\"value\" x=\"").append(x + barW / 2).append("\" y=\"").append(y - 4)
            .append("\" text-anchor=\"middle\">").append(euros(cents)).append("</text>")
            .append("<text class=\"label\" x=\"").append(x + barW / 2).append("\" y=\"").append(top + h + 18)
            .append("\" text-anchor=\"middle\">").append(region).append("</text>");
    }
    page.append("</svg><table id=\"totals\"><tr><th>region</th><th>orders</th><th>units</th><th>revenue</th></tr>");
    for (Object[] r : rows) {
        page.append("<tr><td>").append(escapeHtml((String) r[0])).append("</td><td>").append(r[1]).append("</td><td>")
            .append(r[2]).append("</td><td>").append(euros((Long) r[3])).append("</td></tr>");
    }
    return page.append("</table></body></html>").toString();
}

String regionsJson() throws Exception {
    var json = new StringJoiner(",", "[", "]");
    for (Object[] r : regionTotals()) {
        json.add("{\"region\":\"" + r[0] + "\",\"orders\":" + r[1] + ",\"units\":" + r[2] + ",\"revenue\":" + euros((Long) r[3]) + "}");
    }
    return json.toString();
}
//%%
%%web name=dashboard
Javalin.create(config -> {
    config.routes.get("/", ctx -> ctx.html(dashboardHtml()));
    config.routes.get("/api/regions", ctx -> ctx.contentType("application/json").result(regionsJson()));
})
//%%
%deploy warehouse
