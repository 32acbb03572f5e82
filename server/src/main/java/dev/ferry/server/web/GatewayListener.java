package dev.ferry.server.web;

import dev.ferry.proto.v1.AppFunction;
import dev.ferry.proto.v1.AppInfo;
import dev.ferry.proto.v1.AppSpec;
import dev.ferry.proto.v1.WebApp;
import dev.ferry.server.apps.AppListener;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wires the web gateway to the apps registry: an app's endpoints are checked (and served) before its deploy is
 * recorded, so a route the gateway cannot serve refuses the deploy; a stop ends them; URLs come from here.
 */
public final class GatewayListener implements AppListener {
    private final WebGateway web;
    /** The spec each app is served with: a deploy checked (and served) in {@link #check} is not served twice. */
    private final Map<String, AppSpec> served = new ConcurrentHashMap<>();

    public GatewayListener(WebGateway web) {
        this.web = web;
    }

    @Override
    public void check(AppSpec app) {
        web.deployed(app); // throws IllegalArgumentException for an endpoint it cannot serve
        served.put(app.getName(), app);
    }

    @Override
    public void deployed(AppSpec app, AppInfo info) {
        if (!app.equals(served.get(app.getName()))) { // at server start: the apps a previous server had
            web.deployed(app);
            served.put(app.getName(), app);
        }
    }

    @Override
    public void stopped(String name) {
        served.remove(name);
        web.stopped(name);
    }

    @Override
    public String url(String app, AppFunction function) {
        return function.hasWeb() && !function.getWeb().getPath().isBlank()
                ? WebGateway.url(web.baseUrl(), app, function.getWeb()) : "";
    }

    @Override
    public String url(String app, WebApp w) {
        return WebGateway.url(web.baseUrl(), app, w);
    }
}
