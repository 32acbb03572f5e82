package dev.ferry.server.web;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.ferry.proto.v1.AppFunction;
import dev.ferry.proto.v1.AppInfo;
import dev.ferry.proto.v1.AppSpec;
import dev.ferry.proto.v1.WebApp;
import dev.ferry.proto.v1.WebEndpoint;
import dev.ferry.server.Token;
import dev.ferry.server.functions.CallRunner;
import dev.ferry.server.functions.FunctionService;
import dev.ferry.storage.FerryDirs;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.io.IOException;
import java.net.BindException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The server's HTTP listener for deployed apps (docs/web.md): {@code http://HOST:PORT/<app>/<path>} runs a
 * function endpoint ({@code web=POST /square}) as an ordinary call of the FunctionService, and
 * {@code http://HOST:PORT/<app>/<name>/...} is proxied to a {@code %%web} app's worker. Javalin 7 fixes its routes
 * at start, so one catch-all handler per HTTP method dispatches through a table that {@link #deployed} and
 * {@link #stopped} replace while it serves.
 */
public final class WebGateway implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("dev.ferry.server");
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 7471;
    /** Modal's limit on an HTTP request (150 s); past it the answer is a 303 to wait on (tests shorten it). */
    static volatile long requestTimeoutMs = 150_000;
    private static final List<HandlerType> METHODS = List.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT,
            HandlerType.PATCH, HandlerType.DELETE, HandlerType.HEAD, HandlerType.OPTIONS);

    /** An app's web side: its function endpoints and its %%web apps. */
    private record Served(String name, List<Route> routes, Map<String, WebAppWorker> webApps, boolean auth, String token) {}

    private final FunctionService functions;
    private final CallRunner runner;
    private final Path dataDir;
    private final Map<String, Served> apps = new ConcurrentHashMap<>();
    private final HttpClient proxy = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Javalin http;
    private final String host;

    private WebGateway(FunctionService functions, CallRunner runner, Path dataDir, String host, int port) {
        this.functions = functions;
        this.runner = runner;
        this.dataDir = dataDir;
        this.host = host;
        this.http = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.maxRequestSize = 64L << 20;
            for (HandlerType m : METHODS) {
                config.routes.addHttpHandler(m, "/", this::handle);
                config.routes.addHttpHandler(m, "/*", this::handle);
            }
        });
        http.start(host, port);
    }

    /**
     * Starts the listener on {@code listen} ("HOST:PORT"; port 0: any free one). When {@code explicit} is false
     * (the default address) and its port is taken, it listens on a free port instead and logs why.
     *
     * @throws IOException when an explicit address cannot be bound, naming the port and the fix
     */
    public static WebGateway start(String listen, boolean explicit, FunctionService functions, CallRunner runner, Path dataDir)
            throws IOException {
        java.net.InetSocketAddress a = parse(listen);
        try {
            return new WebGateway(functions, runner, dataDir, a.getHostString(), a.getPort());
        } catch (RuntimeException e) {
            if (!bindFailure(e)) {
                throw e;
            }
            if (explicit) {
                throw new IOException("port " + a.getPort() + " is in use (--http " + listen + "): pass --http " + a.getHostString()
                        + ":PORT with a free port, or --http " + a.getHostString() + ":0 for any free one", e);
            }
            WebGateway g = new WebGateway(functions, runner, dataDir, a.getHostString(), 0);
            LOG.warning("port " + a.getPort() + " is in use: web endpoints are served on " + g.baseUrl() + " this time; pass --http "
                    + a.getHostString() + ":PORT for a fixed address");
            return g;
        }
    }

    private static boolean bindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException || t instanceof io.javalin.util.JavalinBindException) {
                return true;
            }
        }
        return false;
    }

    /** "HOST:PORT" → an address; "PORT" alone is on 127.0.0.1. */
    public static java.net.InetSocketAddress parse(String listen) {
        String s = listen.strip();
        int colon = s.lastIndexOf(':');
        String h = colon < 0 ? DEFAULT_HOST : s.substring(0, colon);
        try {
            int p = Integer.parseInt(s.substring(colon + 1));
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return java.net.InetSocketAddress.createUnresolved(h.isEmpty() ? DEFAULT_HOST : h, p);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--http " + listen + " is not HOST:PORT (for example 127.0.0.1:7471, 0.0.0.0:8080,"
                    + " or 127.0.0.1:0 for any free port)");
        }
    }

    /** "http://127.0.0.1:7471": where it listens. */
    public String baseUrl() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "http://" + h + ":" + http.port();
    }

    /** "POST http://127.0.0.1:7471/job-queue/submit-job", as AppFunctionInfo.url shows it. */
    public static String url(String baseUrl, String app, WebEndpoint e) {
        String method = e.getMethod().isBlank() ? "POST" : e.getMethod().strip().toUpperCase(java.util.Locale.ROOT);
        String path = e.getPath().strip();
        return method + " " + baseUrl + "/" + app + (path.startsWith("/") ? path : "/" + path);
    }

    /** "http://127.0.0.1:7471/job-queue/dashboard/", as AppWebInfo.url shows it. */
    public static String url(String baseUrl, String app, WebApp w) {
        return baseUrl + "/" + app + "/" + w.getName() + "/";
    }

    /** {@code info} with the URL of each function endpoint and %%web app of {@code spec} filled in. */
    public AppInfo withUrls(AppSpec spec, AppInfo info) {
        Map<String, WebEndpoint> web = new LinkedHashMap<>();
        for (AppFunction f : spec.getFunctionsList()) {
            if (f.hasWeb()) {
                web.put(f.getFunction().getName(), f.getWeb());
            }
        }
        AppInfo.Builder b = info.toBuilder();
        for (int i = 0; i < b.getFunctionsCount(); i++) {
            WebEndpoint e = web.get(b.getFunctions(i).getName());
            if (e != null) {
                b.setFunctions(i, b.getFunctions(i).toBuilder().setUrl(url(baseUrl(), spec.getName(), e)));
            }
        }
        for (int i = 0; i < b.getWebAppsCount(); i++) {
            b.setWebApps(i, b.getWebApps(i).toBuilder().setUrl(baseUrl() + "/" + spec.getName() + "/" + b.getWebApps(i).getName() + "/"));
        }
        return b.build();
    }

    /** The file holding app {@code app}'s web token (0600): {@code <data dir>/web/<app>.token}. */
    public static Path tokenFile(Path dataDir, String app) {
        return dataDir.resolve("web").resolve(app + ".token");
    }

    /** App {@code app}'s web token, made at its first deploy. */
    public String token(String app) throws IOException {
        FerryDirs.createPrivateDir(dataDir.resolve("web"));
        return Token.readOrCreate(tokenFile(dataDir, app));
    }

    /**
     * Serves {@code app}'s endpoints and %%web apps from now on, replacing what an earlier deploy of that name
     * served (a %%web app whose spec did not change keeps its worker).
     *
     * @throws IllegalArgumentException for an endpoint that cannot be served (two on one route, a path parameter
     *     that is no parameter of its function)
     */
    public synchronized void deployed(AppSpec app) {
        String name = app.getName();
        if (!WEB_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("app name '" + name + "' cannot be part of a URL: use lower-case letters, digits"
                    + " and '-'");
        }
        List<Route> routes = new ArrayList<>();
        boolean auth = false;
        for (AppFunction f : app.getFunctionsList()) {
            if (!f.hasWeb()) {
                continue;
            }
            Route r = new Route(f);
            for (Route other : routes) {
                if (other.method.equals(r.method) && other.segments.size() == r.segments.size()
                        && other.path.replaceAll("\\{[^}]*}", "{}").equals(r.path.replaceAll("\\{[^}]*}", "{}"))) {
                    throw new IllegalArgumentException("web=\"" + r + "\" of " + f.getFunction().getName() + " is also the route of "
                            + other.function.getFunction().getName() + ": give each endpoint its own method and path");
                }
            }
            routes.add(r);
            auth |= f.getWeb().getRequiresAuth();
        }
        Served old = apps.get(name);
        Map<String, WebAppWorker> webApps = new LinkedHashMap<>();
        for (WebApp w : app.getWebAppsList()) {
            if (routes.stream().anyMatch(r -> !r.segments.isEmpty() && r.segments.get(0).equals(w.getName()))) {
                throw new IllegalArgumentException("the %%web app " + w.getName() + " and a function endpoint both start with /"
                        + w.getName() + ": rename one");
            }
            WebAppWorker kept = old == null ? null : old.webApps().get(w.getName());
            if (kept != null && kept.spec.equals(w) && !kept.port().isCompletedExceptionally()) {
                webApps.put(w.getName(), kept);
            } else {
                WebAppWorker started = new WebAppWorker(name, w);
                started.start(runner);
                webApps.put(w.getName(), started);
            }
            auth |= w.getRequiresAuth();
        }
        String token;
        try {
            token = token(name);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the web token of app " + name + ": " + e.getMessage(), e);
        }
        apps.put(name, new Served(name, List.copyOf(routes), Map.copyOf(webApps), auth, token));
        if (old != null) {
            old.webApps().forEach((n, w) -> {
                if (webApps.get(n) != w) {
                    w.close();
                }
            });
        }
        LOG.info("web: app " + name + " serves " + routes.size() + " endpoint" + (routes.size() == 1 ? "" : "s")
                + (webApps.isEmpty() ? "" : " and " + webApps.size() + " web app" + (webApps.size() == 1 ? "" : "s"))
                + " at " + baseUrl() + "/" + name + "/");
    }

    static final java.util.regex.Pattern WEB_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    /** Stops serving app {@code appName}: its URLs answer 404, its %%web workers are stopped. */
    public synchronized void stopped(String appName) {
        Served s = apps.remove(appName);
        if (s != null) {
            s.webApps().values().forEach(WebAppWorker::close);
            LOG.info("web: app " + appName + " is no longer served");
        }
    }

    private void handle(Context ctx) {
        String method = ctx.req().getMethod();
        List<String> segs = Route.split(ctx.req().getRequestURI());
        if (segs.isEmpty()) {
            error(ctx, 404, "no app at /: an app's URLs are " + baseUrl() + "/<app>/<path>; apps served: " + appList());
            return;
        }
        Served app = apps.get(segs.get(0));
        if (app == null) {
            error(ctx, 404, "no app '" + segs.get(0) + "' is served here: apps served: " + appList());
            return;
        }
        List<String> rest = segs.subList(1, segs.size());
        String waitFor = ctx.queryParam(FunctionEndpoint.CALL_PARAM);
        List<Route> pathMatches = new ArrayList<>();
        for (Route r : app.routes()) {
            Map<String, String> params = r.match(rest);
            if (params != null) {
                pathMatches.add(r);
                // a 303 of a request that ran past its time comes back as a GET: any method of the route waits for it
                if (r.method.equals(method) || waitFor != null) {
                    if (r.function.getWeb().getRequiresAuth() && !authorized(ctx, app)) {
                        return;
                    }
                    FunctionEndpoint.call(ctx, r, params, functions, app.name());
                    return;
                }
            }
        }
        if (!rest.isEmpty() && app.webApps().containsKey(rest.get(0))) {
            WebAppWorker w = app.webApps().get(rest.get(0));
            if (w.spec.getRequiresAuth() && !authorized(ctx, app)) {
                return;
            }
            proxy(ctx, w, segs.get(0), rest.get(0));
            return;
        }
        if (!pathMatches.isEmpty()) {
            ctx.header("Allow", pathMatches.stream().map(r -> r.method).collect(Collectors.joining(", ")));
            error(ctx, 405, method + " is not served at " + ctx.req().getRequestURI() + ": it answers "
                    + pathMatches.stream().map(Route::toString).collect(Collectors.joining(", ")));
            return;
        }
        error(ctx, 404, "app '" + app.name() + "' has no route " + method + " /" + String.join("/", rest) + ": its routes are "
                + routeList(app));
    }

    private String appList() {
        return apps.isEmpty() ? "none" : String.join(", ", new java.util.TreeSet<>(apps.keySet()));
    }

    private static String routeList(Served app) {
        List<String> out = new ArrayList<>();
        app.routes().forEach(r -> out.add(r.method + " /" + app.name() + r.path));
        app.webApps().keySet().forEach(w -> out.add("/" + app.name() + "/" + w + "/... (a web app)"));
        return out.isEmpty() ? "none" : String.join(", ", out);
    }

    private boolean authorized(Context ctx, Served app) {
        String h = ctx.header("Authorization");
        String given = h != null && h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).strip() : null;
        if (given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), app.token().getBytes(StandardCharsets.UTF_8))) {
            return true;
        }
        ctx.header("WWW-Authenticate", "Bearer realm=\"" + app.name() + "\"");
        error(ctx, 401, (given == null ? "this endpoint needs the header Authorization: Bearer <token>"
                : "a wrong token") + ": app " + app.name() + "'s web token is in " + tokenFile(dataDir, app.name()));
        LOG.info("web: refused " + ctx.req().getMethod() + " " + ctx.req().getRequestURI() + ": " + (given == null ? "no token" : "a wrong token"));
        return false;
    }

    private void proxy(Context ctx, WebAppWorker w, String app, String name) {
        String uri = ctx.req().getRequestURI();
        String prefix = "/" + app + "/" + name;
        String rest = uri.length() > prefix.length() ? uri.substring(prefix.length()) : "/";
        if (ctx.queryString() != null) {
            rest += "?" + ctx.queryString();
        }
        String target = rest;
        Map<String, String> headers = ctx.headerMap();
        byte[] body = ctx.bodyAsBytes();
        String method = ctx.req().getMethod();
        ctx.future(() -> w.port().orTimeout(300, java.util.concurrent.TimeUnit.SECONDS)
                .thenCompose(port -> WebAppWorker.forward(proxy, port, method, target, headers, body))
                .handle((resp, e) -> {
                    if (e != null) {
                        Throwable c = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
                        error(ctx, 502, "the web app " + app + "/" + name + " is not available: " + c.getMessage());
                        return null;
                    }
                    ctx.status(resp.statusCode());
                    resp.headers().map().forEach((k, vs) -> {
                        if (WebAppWorker.passBack(k)) {
                            vs.forEach(v -> ctx.res().addHeader(k, v));
                        }
                    });
                    ctx.result(resp.body());
                    return null;
                }));
    }

    static void error(Context ctx, int status, String message) {
        JsonObject o = new JsonObject();
        o.addProperty("error", message);
        json(ctx, status, o);
    }

    static void json(Context ctx, int status, JsonElement body) {
        ctx.status(status);
        ctx.contentType("application/json");
        ctx.result(body.toString());
    }

    @Override
    public synchronized void close() {
        apps.values().forEach(s -> s.webApps().values().forEach(WebAppWorker::close));
        apps.clear();
        http.stop();
    }
}
