import com.google.gson.JsonParser;
import dev.ferry.proto.v1.AppFunction;
import dev.ferry.proto.v1.AppSpec;
import dev.ferry.proto.v1.FunctionSpec;
import dev.ferry.proto.v1.WebEndpoint;
import dev.ferry.server.FerryServer;
import dev.ferry.server.ServerPaths;
import io.javalin.Javalin;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * install/bench.sh web: p50 latency of a web= function endpoint on the Ferry server against a bare Javalin
 * handler doing the same work (parse {"x": n}, answer n*n as JSON) in the same JVM, same run, requests
 * interleaved. Prints the two base URLs on its last line for the wrk part of bench.sh, then waits for stdin to
 * close. Args: ITERS WARMUP.
 */
public class WebBench {
    public static void main(String[] args) throws Exception {
        int iters = Integer.parseInt(args[0]);
        int warmup = Integer.parseInt(args[1]);
        Path dir = Files.createTempDirectory("ferry-web-bench");
        FerryServer server = FerryServer.start(new ServerPaths(dir), System.getProperty("java.class.path"), null, "127.0.0.1:0");
        server.web().deployed(AppSpec.newBuilder().setName("bench").addFunctions(AppFunction.newBuilder()
                .setFunction(FunctionSpec.newBuilder().setName("square").setMethodSource("long square(long x) { return x * x; }"))
                .setWeb(WebEndpoint.newBuilder().setMethod("POST").setPath("/square"))).build());
        Javalin bare = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.routes.post("/square", ctx -> {
                long x = JsonParser.parseString(ctx.body()).getAsJsonObject().get("x").getAsLong();
                ctx.contentType("application/json").result(Long.toString(x * x));
            });
        }).start("127.0.0.1", 0);
        String ferry = server.web().baseUrl() + "/bench/square";
        String raw = "http://127.0.0.1:" + bare.port() + "/square";
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<Double> f = new ArrayList<>();
        List<Double> b = new ArrayList<>();
        for (int i = 0; i < warmup + iters; i++) {
            double tf = time(http, ferry, i);
            double tb = time(http, raw, i);
            if (i >= warmup) {
                f.add(tf);
                b.add(tb);
            }
        }
        double pf = p50(f);
        double pb = p50(b);
        System.out.printf("web= endpoint p50 %.2f ms (min %.2f, max %.2f; %d requests, each a call in a fresh worker JVM: no warm workers yet)%n",
                pf, Collections.min(f), Collections.max(f), f.size());
        System.out.printf("bare Javalin  p50 %.3f ms (min %.3f, max %.3f; %d requests, same JVM, same run)%n",
                pb, Collections.min(b), Collections.max(b), b.size());
        System.out.printf("difference %.2f ms, ratio %.0fx (target: <= 2 ms above the bare handler on a warm worker): %s%n",
                pf - pb, pf / pb, pf - pb <= 2 ? "PASS" : "MISS");
        System.out.println("URLS " + ferry + " " + raw);
        System.out.flush();
        System.in.read();
        bare.stop();
        server.close();
    }

    static double time(HttpClient http, String url, int i) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString("{\"x\": " + i + "}")).build();
        long t0 = System.nanoTime();
        HttpResponse<String> resp = http.send(r, HttpResponse.BodyHandlers.ofString());
        double ms = (System.nanoTime() - t0) / 1e6;
        if (resp.statusCode() != 200 || !resp.body().equals(Long.toString((long) i * i))) {
            throw new IllegalStateException(url + " answered " + resp.statusCode() + " " + resp.body());
        }
        return ms;
    }

    static double p50(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}
