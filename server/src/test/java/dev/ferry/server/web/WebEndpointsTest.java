package dev.ferry.server.web;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.ferry.client.FerryClient;
import dev.ferry.client.ServerLauncher;
import dev.ferry.proto.v1.AppFunction;
import dev.ferry.proto.v1.AppFunctionInfo;
import dev.ferry.proto.v1.AppInfo;
import dev.ferry.proto.v1.AppSpec;
import dev.ferry.proto.v1.AppWebInfo;
import dev.ferry.proto.v1.CallInfo;
import dev.ferry.proto.v1.CallState;
import dev.ferry.proto.v1.FunctionSpec;
import dev.ferry.proto.v1.ListCallsRequest;
import dev.ferry.proto.v1.ServerStatus;
import dev.ferry.proto.v1.WebApp;
import dev.ferry.proto.v1.WebEndpoint;
import dev.ferry.server.FerryServer;
import dev.ferry.server.ServerPaths;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Web endpoints on a real server (in this JVM, so the test can call {@link WebGateway#deployed}), with real HTTP
 * from {@link HttpClient}; every call runs in a real worker process.
 */
class WebEndpointsTest {
    static ServerPaths paths;
    static FerryServer server;
    static HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    static String base;

    @BeforeAll
    static void start() throws Exception {
        paths = new ServerPaths(Files.createTempDirectory("fw"));
        server = FerryServer.start(paths, System.getProperty("java.class.path"), null, "127.0.0.1:0");
        base = server.web().baseUrl();
        server.web().deployed(AppSpec.newBuilder().setName("calc")
                .addFunctions(endpoint("square", "int square(int x) { return x * x; }", "POST", "/square", false))
                .addFunctions(endpoint("greet", "String greet(String name, int times) { return (\"hi \" + name).repeat(times); }",
                        "GET", "/greet/{name}", false))
                .addFunctions(endpoint("total", "long total(java.util.List<Integer> xs, java.util.Map<String, Double> w) {"
                        + " return xs.stream().mapToLong(i -> i).sum() + Math.round(w.getOrDefault(\"bonus\", 0.0)); }", "POST", "/total", false))
                .addFunctions(endpoint("boom", "int boom(int x) { throw new IllegalStateException(\"bad input \" + x); }",
                        "POST", "/boom", false))
                .addFunctions(endpoint("secret", "String secret(String q) { return \"ok \" + q; }", "POST", "/secret", true))
                .addFunctions(endpoint("made", "dev.ferry.WebResponse made(int code) { return dev.ferry.WebResponse.of(code,"
                        + " java.util.Map.of(\"code\", code)).header(\"X-Made\", \"yes\"); }", "GET", "/made/{code}", false))
                .addWebApps(WebApp.newBuilder().setName("site").setSource("""
                        io.javalin.Javalin.create(config -> {
                            config.routes.get("/hello/{who}", ctx -> ctx.result("hello " + ctx.pathParam("who") + " " + ctx.queryParam("x")));
                            config.routes.post("/echo", ctx -> ctx.status(201).header("X-Echo", "1").result(ctx.body()));
                        })""").build())
                .build());
    }

    static AppFunction endpoint(String name, String source, String method, String path, boolean auth) {
        return AppFunction.newBuilder().setFunction(FunctionSpec.newBuilder().setName(name).setMethodSource(source))
                .setWeb(WebEndpoint.newBuilder().setMethod(method).setPath(path).setRequiresAuth(auth)).build();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(5))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonObject json(HttpResponse<String> r) {
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }

    @Test
    void aFunctionEndpointAnswersItsValueAsJson() throws Exception {
        HttpResponse<String> r = send("POST", "/calc/square", "{\"x\": 7}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("49", r.body());
        assertTrue(r.headers().firstValue("Ferry-Call-Id").orElse("").startsWith("fc-"));
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    }

    @Test
    void curlFromAnotherProcessGetsTheSameAnswers() throws Exception {
        Process p = new ProcessBuilder("curl", "-s", "-w", " %{http_code}", "-X", "POST", "-H", "Content-Type: application/json",
                "-d", "{\"x\": 9}", base + "/calc/square").redirectErrorStream(true).start();
        assertEquals("81 200", new String(p.getInputStream().readAllBytes()).strip());
        assertEquals(0, p.waitFor());
        Process bad = new ProcessBuilder("curl", "-s", "-w", " %{http_code}", "-X", "POST", "-d", "{oops", base + "/calc/square")
                .redirectErrorStream(true).start();
        String out = new String(bad.getInputStream().readAllBytes()).strip();
        assertTrue(out.endsWith(" 400") && out.contains("not valid JSON"), out);
        bad.waitFor();
    }

    @Test
    void aRequestPastTheTimeLimitIsRedirectedToWaitOnTheSameCall() throws Exception {
        long was = WebGateway.requestTimeoutMs;
        HttpResponse<String> r;
        try {
            WebGateway.requestTimeoutMs = 1;
            r = send("POST", "/calc/square", "{\"x\": 5}");
        } finally {
            WebGateway.requestTimeoutMs = was;
        }
        assertEquals(303, r.statusCode(), r.body());
        String id = json(r).get("call_id").getAsString();
        assertEquals("/calc/square?__ferry_call_id=" + id, r.headers().firstValue("Location").orElse(""));
        HttpResponse<String> again = send("GET", "/calc/square?__ferry_call_id=" + id, null);
        assertEquals(200, again.statusCode(), again.body());
        assertEquals("25", again.body());
        assertEquals(id, again.headers().firstValue("Ferry-Call-Id").orElse(""));
        assertEquals(404, send("GET", "/calc/greet/x?__ferry_call_id=" + id, null).statusCode()); // not a call of greet
    }

    @Test
    void pathAndQueryParametersBindByName() throws Exception {
        HttpResponse<String> r = send("GET", "/calc/greet/ann%20b?times=2", null);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("\"hi ann bhi ann b\"", r.body());
        HttpResponse<String> t = send("POST", "/calc/total", "{\"xs\": [1, 2, 3], \"w\": {\"bonus\": 4}}");
        assertEquals(200, t.statusCode(), t.body());
        assertEquals("10", t.body());
    }

    @Test
    void badRequestsAre400NamingTheFieldAndType() throws Exception {
        HttpResponse<String> notJson = send("POST", "/calc/square", "{x: ");
        assertEquals(400, notJson.statusCode());
        assertTrue(json(notJson).get("error").getAsString().contains("not valid JSON"), notJson.body());
        HttpResponse<String> wrong = send("POST", "/calc/square", "{\"x\": \"seven\"}");
        assertEquals(400, wrong.statusCode());
        assertEquals("field 'x' is a string \"seven\": it needs an int (a JSON whole number)", json(wrong).get("error").getAsString());
        HttpResponse<String> missing = send("POST", "/calc/square", "{}");
        assertEquals(400, missing.statusCode());
        assertTrue(json(missing).get("error").getAsString().startsWith("missing field 'x': square(int x) needs it as an int"),
                missing.body());
        HttpResponse<String> extra = send("POST", "/calc/square", "{\"x\": 1, \"y\": 2}");
        assertEquals(400, extra.statusCode());
        assertTrue(json(extra).get("error").getAsString().startsWith("unknown field 'y'"), extra.body());
        HttpResponse<String> fraction = send("POST", "/calc/square", "{\"x\": 1.5}");
        assertEquals(400, fraction.statusCode());
        HttpResponse<String> query = send("GET", "/calc/greet/ann?times=two", null);
        assertEquals(400, query.statusCode());
        assertTrue(json(query).get("error").getAsString().startsWith("query parameter 'times' is \"two\""), query.body());
    }

    @Test
    void unknownRoutesAre404NamingTheAppsRoutes() throws Exception {
        HttpResponse<String> r = send("POST", "/calc/cube", "{}");
        assertEquals(404, r.statusCode());
        String e = json(r).get("error").getAsString();
        assertTrue(e.contains("POST /calc/square") && e.contains("GET /calc/greet/{name}") && e.contains("/calc/site/"), e);
        HttpResponse<String> app = send("GET", "/nope/x", null);
        assertEquals(404, app.statusCode());
        assertTrue(json(app).get("error").getAsString().contains("apps served: calc"), app.body());
        HttpResponse<String> method = send("GET", "/calc/square", null);
        assertEquals(405, method.statusCode());
        assertEquals("POST", method.headers().firstValue("Allow").orElse(""));
    }

    @Test
    void aFunctionThatThrowsIs500WithItsErrorAndCallId() throws Exception {
        HttpResponse<String> r = send("POST", "/calc/boom", "{\"x\": 3}");
        assertEquals(500, r.statusCode());
        JsonObject o = json(r);
        assertEquals("java.lang.IllegalStateException", o.get("type").getAsString());
        assertEquals("bad input 3", o.get("message").getAsString());
        String id = o.get("call_id").getAsString();
        assertTrue(id.startsWith("fc-"));
        try (FerryClient c = FerryClient.connect(paths.socket())) { // the call is an ordinary one, its error recorded
            dev.ferry.proto.v1.CallResult cr = c.unary("Functions/Status",
                    dev.ferry.proto.v1.CallRef.newBuilder().setCallId(id).build(), Duration.ofSeconds(10));
            assertEquals(CallState.CALL_STATE_FAILED, cr.getState());
            assertEquals("bad input 3", cr.getError().getMessage());
        }
    }

    @Test
    void authEndpointsNeedTheAppsBearerToken() throws Exception {
        HttpResponse<String> none = send("POST", "/calc/secret", "{\"q\": \"a\"}");
        assertEquals(401, none.statusCode());
        assertTrue(json(none).get("error").getAsString().contains("calc.token"), none.body());
        HttpResponse<String> wrong = send("POST", "/calc/secret", "{\"q\": \"a\"}", "Authorization", "Bearer nope");
        assertEquals(401, wrong.statusCode());
        var file = WebGateway.tokenFile(paths.dataDir(), "calc");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String token = Files.readString(file).strip();
        HttpResponse<String> ok = send("POST", "/calc/secret", "{\"q\": \"a\"}", "Authorization", "Bearer " + token);
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals("\"ok a\"", ok.body());
    }

    @Test
    void aWebResponseChoosesTheStatusAndHeaders() throws Exception {
        HttpResponse<String> r = send("GET", "/calc/made/202", null);
        assertEquals(202, r.statusCode(), r.body());
        assertEquals("{\"code\":202}", r.body());
        assertEquals("yes", r.headers().firstValue("X-Made").orElse(""));
    }

    @Test
    void aWebAppIsServedByItsWorkerAndProxied() throws Exception {
        HttpResponse<String> r = send("GET", "/calc/site/hello/bo?x=1", null);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("hello bo 1", r.body());
        HttpResponse<String> echo = send("POST", "/calc/site/echo", "ping");
        assertEquals(201, echo.statusCode());
        assertEquals("ping", echo.body());
        assertEquals("1", echo.headers().firstValue("X-Echo").orElse(""));
        HttpResponse<String> missing = send("GET", "/calc/site/nothing", null);
        assertEquals(404, missing.statusCode()); // Javalin's own 404, from the app
    }

    @Test
    void urlsAreFilledIn() {
        AppSpec spec = AppSpec.newBuilder().setName("job-queue")
                .addFunctions(endpoint("submit", "int submit(int x) { return x; }", "post", "/submit-job", false))
                .addWebApps(WebApp.newBuilder().setName("dash")).build();
        AppInfo info = server.web().withUrls(spec, AppInfo.newBuilder().setName("job-queue")
                .addFunctions(AppFunctionInfo.newBuilder().setName("submit")).addWebApps(AppWebInfo.newBuilder().setName("dash")).build());
        assertEquals("POST " + base + "/job-queue/submit-job", info.getFunctions(0).getUrl());
        assertEquals(base + "/job-queue/dash/", info.getWebApps(0).getUrl());
    }

    @Test
    void aStoppedAppIs404AndARedeployServesTheNewRoutes() throws Exception {
        server.web().deployed(AppSpec.newBuilder().setName("tmp")
                .addFunctions(endpoint("one", "int one() { return 1; }", "GET", "/n", false)).build());
        assertEquals("1", send("GET", "/tmp/n", null).body());
        server.web().deployed(AppSpec.newBuilder().setName("tmp")
                .addFunctions(endpoint("two", "int two() { return 2; }", "GET", "/n", false)).build());
        assertEquals("2", send("GET", "/tmp/n", null).body());
        server.web().stopped("tmp");
        assertEquals(404, send("GET", "/tmp/n", null).statusCode());
    }

    @Test
    void anEndpointWhosePathParameterIsNoParameterIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> server.web().deployed(AppSpec.newBuilder()
                .setName("bad").addFunctions(endpoint("f", "int f(int x) { return x; }", "GET", "/f/{y}", false)).build()));
        assertTrue(e.getMessage().contains("{y} is not a parameter of f(int x)"), e.getMessage());
    }

    @Test
    void anExplicitPortInUseIsRefusedWithTheFix() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            ServerPaths other = new ServerPaths(Files.createTempDirectory("fw2"));
            java.io.IOException e = assertThrows(java.io.IOException.class,
                    () -> FerryServer.start(other, "", null, "127.0.0.1:" + taken.getLocalPort()));
            assertTrue(e.getMessage().startsWith("port " + taken.getLocalPort() + " is in use"), e.getMessage());
            assertTrue(e.getMessage().contains("pass --http 127.0.0.1:PORT"), e.getMessage());
        }
    }

    @Test
    void aServerProcessReportsItsHttpAddress() throws Exception {
        ServerPaths other = new ServerPaths(Files.createTempDirectory("fw3"));
        ProcessHandle p = ServerLauncher.ofThisJvm().withServerArgs(List.of("--http", "127.0.0.1:0")).start(other);
        try (FerryClient c = FerryClient.connect(other.socket())) {
            ServerStatus s = c.status(Duration.ofSeconds(30));
            assertTrue(s.getHttpAddress().matches("http://127\\.0\\.0\\.1:\\d+"), s.getHttpAddress());
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(s.getHttpAddress() + "/x/y")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, r.statusCode());
            assertTrue(r.body().contains("no app 'x' is served here"), r.body());
            c.shutdown();
        } finally {
            p.onExit().orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).exceptionally(e -> {
                p.destroyForcibly();
                return null;
            }).join();
        }
    }
}
