package dev.ferry.server.web;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.ferry.proto.v1.WebApp;
import dev.ferry.remote.Worker;
import dev.ferry.remote.WorkerEvent;
import dev.ferry.server.functions.CallRunner;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * A {@code %%web} app of a deployed app, served by a long-lived worker JVM of the server's own: the worker
 * resolves the app's {@code %maven} coordinates (Javalin's, added when missing), runs its declarations and the
 * cell, then starts the Javalin app on an ephemeral loopback port that only the server proxies to.
 */
final class WebAppWorker implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("dev.ferry.server");
    static final String JAVALIN = "io.javalin:javalin:7.2.3";
    private static final long STEP_TIMEOUT_S = 300;
    /** Headers a proxy does not pass on (hop-by-hop ones, and those java.net.http sets itself). */
    private static final Set<String> SKIP = Set.of("connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
            "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length", "expect", "http2-settings");

    final String app;
    final WebApp spec;
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private volatile Worker worker;
    private volatile boolean closed;

    WebAppWorker(String app, WebApp spec) {
        this.app = app;
        this.spec = spec;
    }

    /** Starts the worker in the background; {@link #port()} completes once the app listens (or fails). */
    void start(CallRunner runner) {
        Thread t = new Thread(() -> {
            try {
                run(runner);
            } catch (Exception e) {
                port.completeExceptionally(e);
            }
            if (port.isCompletedExceptionally()) {
                port.exceptionally(e -> {
                    LOG.warning("web app " + app + "/" + spec.getName() + " did not start: " + e.getMessage());
                    return null;
                });
                close();
            }
        }, "ferry-web-" + app + "-" + spec.getName());
        t.setDaemon(true);
        t.start();
    }

    private void run(CallRunner runner) throws Exception {
        Worker.CallHandler calls = new Worker.CallHandler() {
            @Override
            public JsonElement call(String target, JsonObject a) {
                if (!target.equals("web.listening")) {
                    throw new IllegalArgumentException("unknown call target '" + target + "' in a web app's worker");
                }
                port.complete(a.get("port").getAsInt());
                return null;
            }
        };
        Worker w = runner.startWorker(Map.of("ferry.web", app + "/" + spec.getName()), Map.of(), calls);
        worker = w;
        if (closed) {
            w.close();
            return;
        }
        w.ready().get(60, TimeUnit.SECONDS);
        List<String> maven = new java.util.ArrayList<>(spec.getMavenList());
        if (maven.stream().noneMatch(m -> m.startsWith("io.javalin:javalin:"))) {
            maven.add(0, JAVALIN);
        }
        step(w, "%maven " + String.join(" ", maven), "%maven " + String.join(" ", maven));
        for (String d : spec.getDeclarationsList()) {
            WorkerEvent ev = w.execute(d, 0, false).end(STEP_TIMEOUT_S, TimeUnit.SECONDS);
            if (ev instanceof WorkerEvent.Result r && !r.status().equals("ok")) {
                LOG.info("web app " + app + "/" + spec.getName() + ": a notebook declaration did not compile in its worker ("
                        + evalue(r) + "); it runs without it");
            }
        }
        step(w, "%%web name=" + spec.getName() + "\n" + spec.getSource(), "the %%web cell");
        step(w, dev.ferry.remote.worker.WebApps.class.getName() + ".serve(\"" + spec.getName() + "\", \"127.0.0.1\");",
                "starting the Javalin app");
        if (!port.isDone()) {
            throw new IOException("the app started without reporting its port");
        }
        LOG.info("web app " + app + "/" + spec.getName() + " listens on 127.0.0.1:" + port.getNow(0) + " (its worker's loopback)");
    }

    private static void step(Worker w, String code, String what) throws IOException, InterruptedException {
        WorkerEvent ev = w.execute(code, 1, false).end(STEP_TIMEOUT_S, TimeUnit.SECONDS);
        if (ev instanceof WorkerEvent.Result r) {
            if (!r.status().equals("ok")) {
                throw new IOException(what + " failed in the web app's worker: " + r.fields().get("ename").getAsString() + ": "
                        + evalue(r));
            }
            return;
        }
        throw new IOException(what + ": the web app's worker " + (ev instanceof WorkerEvent.Died d ? "died: "
                + d.death().explain() : "did not answer in " + STEP_TIMEOUT_S + " s"));
    }

    private static String evalue(WorkerEvent.Result r) {
        return r.fields().has("evalue") ? r.fields().get("evalue").getAsString() : "?";
    }

    /** The app's loopback port once it listens. */
    CompletableFuture<Integer> port() {
        return port;
    }

    /** Forwards a request to the app: {@code rest} is the path below {@code /<app>/<name>}, with its query. */
    static CompletableFuture<HttpResponse<byte[]>> forward(HttpClient http, int port, String method, String rest,
                                                            Map<String, String> headers, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + rest))
                .timeout(Duration.ofSeconds(150))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach((k, v) -> {
            if (!SKIP.contains(k.toLowerCase(java.util.Locale.ROOT))) {
                try {
                    b.header(k, v);
                } catch (IllegalArgumentException restricted) {
                    // a header java.net.http sets itself
                }
            }
        });
        return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static boolean passBack(String header) {
        String h = header.toLowerCase(java.util.Locale.ROOT);
        return !SKIP.contains(h) && !h.equals(":status") && !h.equals("date") && !h.equals("server");
    }

    @Override
    public void close() {
        closed = true;
        port.completeExceptionally(new IOException("the web app was stopped"));
        Worker w = worker;
        if (w != null) {
            w.close();
        }
    }
}
