package dev.ferry.server.apps;

import dev.ferry.proto.v1.AppFunction;
import dev.ferry.proto.v1.AppInfo;
import dev.ferry.proto.v1.AppSpec;
import dev.ferry.proto.v1.WebApp;

/**
 * Follows deploys and stops of apps (the web gateway serves their endpoints from it). Registered with
 * {@link AppsService#addListener}, which first calls {@link #deployed} for every app that is live then (so
 * a listener added at server start sees the apps a previous server had). Called on the thread that deployed
 * or stopped; a listener that throws is logged and does not undo the deploy.
 */
public interface AppListener {
    /**
     * Called before a deploy is recorded; throwing (IllegalArgumentException: the message names the problem and
     * the fix) refuses the deploy. The web gateway checks its routes here.
     */
    default void check(AppSpec app) {
    }

    /** {@code app} was deployed (first time or a redeploy: same {@code info.getAppId()}, a higher version). */
    void deployed(AppSpec app, AppInfo info);

    /** The app of that name stopped (Stop, its owner process gone, or replaced by none). */
    void stopped(String name);

    /** The URL of a function's web endpoint ("POST http://127.0.0.1:7471/app/path"), or "" when not served. */
    default String url(String app, AppFunction function) {
        return "";
    }

    /** The URL of a %%web app, or "". */
    default String url(String app, WebApp web) {
        return "";
    }
}
