package dev.ferry.server.web;

import dev.ferry.client.FerryClient;
import dev.ferry.proto.v1.AppSpec;
import dev.ferry.proto.v1.CallInfo;
import dev.ferry.proto.v1.CallState;
import dev.ferry.proto.v1.ListCallsRequest;
import dev.ferry.server.FerryServer;
import dev.ferry.server.ServerPaths;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static dev.ferry.server.web.WebEndpointsTest.endpoint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many concurrent requests to one function endpoint, each a call in a fresh worker JVM: every request is
 * answered with its own value, and each call ran once. {@code -Dferry.web.load=N} sets the count (default 200,
 * the figure; each call starts a JVM, so 200 take minutes on a small machine).
 */
class WebLoadTest {
    static ServerPaths paths;
    static FerryServer server;
    static HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    static String base;

    @BeforeAll
    static void start() throws Exception {
        paths = new ServerPaths(Files.createTempDirectory("fl"));
        server = FerryServer.start(paths, System.getProperty("java.class.path"), null, "127.0.0.1:0");
        base = server.web().baseUrl();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /**
     * Follows the 303 that a request still waiting after 150 s gets, as often as it comes (a queue of 200 cold calls
     * on a small machine takes longer than java.net.http's 5 redirects).
     */
    static CompletableFuture<HttpResponse<String>> follow(CompletableFuture<HttpResponse<String>> r) {
        return r.thenCompose(resp -> resp.statusCode() != 303 ? CompletableFuture.completedFuture(resp)
                : follow(http.sendAsync(HttpRequest.newBuilder(URI.create(base).resolve(resp.headers().firstValue("Location").orElseThrow()))
                        .timeout(Duration.ofMinutes(30)).GET().build(), HttpResponse.BodyHandlers.ofString())));
    }

    @Test
    void twoHundredConcurrentPostsEachCompleteOnce() throws Exception {
        server.web().deployed(AppSpec.newBuilder().setName("load")
                .addFunctions(endpoint("hit", "int hit(int i) { return i * 2; }", "POST", "/hit", false)).build());
        int n = Integer.getInteger("ferry.web.load", 200);
        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(follow(http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/load/hit")).timeout(Duration.ofMinutes(30))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"i\": " + i + "}")).build(), HttpResponse.BodyHandlers.ofString())));
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < n; i++) {
            HttpResponse<String> r = all.get(i).get();
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(String.valueOf(i * 2), r.body());
            ids.add(r.headers().firstValue("Ferry-Call-Id").orElseThrow());
        }
        assertEquals(n, ids.size());
        try (FerryClient c = FerryClient.connect(paths.socket())) {
            Iterator<CallInfo> it = c.stream("Functions/List", ListCallsRequest.newBuilder().setLimit(10_000).build());
            int hits = 0;
            while (it.hasNext()) {
                CallInfo ci = it.next();
                if (ci.getFunctionName().equals("hit")) {
                    hits++;
                    assertEquals(CallState.CALL_STATE_SUCCEEDED, ci.getState());
                    assertEquals(1, ci.getAttempts(), ci.getCallId() + " ran more than once");
                    assertTrue(ids.contains(ci.getCallId()));
                }
            }
            assertEquals(n, hits);
        }
    }

}
