package dev.ferry;

import dev.ferry.spi.FunctionRuntime;
import dev.ferry.spi.FunctionSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntConsumer;

/**
 * A notebook method that runs on the Ferry server, each call in a worker of its own: what {@code %%function}
 * binds under the method's name ({@code square.remote(7)}; the method itself still runs here as
 * {@code square(7)}). Arguments and results travel in the store's codec (numbers, strings, booleans, byte
 * arrays, lists, maps, records, Tables). A failure in the worker comes back as the exception thrown there (its
 * type where it loads here, else a {@link RemoteException}), with the remote stack trace.
 *
 * @param <R> the method's return type (boxed; {@code Void} for a void method)
 */
public final class Function<R> {
    private static final ExecutorService ASYNC = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "ferry-function-async");
        t.setDaemon(true);
        return t;
    });
    private final FunctionSpec spec;
    /** The deployed app of a {@link #fromName} handle (its calls are tagged with it), or null. */
    private final String app;

    private Function(FunctionSpec spec) {
        this(spec, null);
    }

    private Function(FunctionSpec spec, String app) {
        this.spec = spec;
        this.app = app;
    }

    /**
     * The function {@code name} of the app deployed as {@code app} ({@code %deploy}, {@code ferry deploy}), from any
     * kernel or from inside another function's call: {@code Function.fromName("job-queue", "process_job").spawn(job)}.
     * Its calls run the deployed version and show in {@code ferry app logs APP}.
     *
     * @throws NotFoundException when no such app is deployed, it is stopped, or it has no such function
     */
    public static <T> Function<T> fromName(String app, String name) {
        if (app == null || app.isBlank() || name == null || name.isBlank()) {
            throw new InvalidArgumentException("Function.fromName needs the app's name and the function's, e.g."
                    + " Function.fromName(\"job-queue\", \"process_job\")");
        }
        return new Function<>(FunctionRuntime.current().lookup(app, name), app);
    }

    /** The deployed app of a {@link #fromName} handle, or null. */
    public String app() {
        return app;
    }

    /** A function of this spec (the plain-Java form of {@code %%function}). */
    public static <T> Function<T> of(FunctionSpec spec) {
        return new Function<>(spec);
    }

    public String name() {
        return spec.name();
    }

    public FunctionSpec spec() {
        return spec;
    }

    /** Runs the method in a worker on these arguments and returns its value. */
    public R remote(Object... args) {
        return this.<R>spawn(args).get();
    }

    /** {@link #remote} without blocking: the future completes with the value or the remote exception. */
    public CompletableFuture<R> remoteAsync(Object... args) {
        FunctionCall<R> call = spawn(args); // argument errors are thrown here, at once
        return CompletableFuture.supplyAsync(call::get, ASYNC);
    }

    /** Starts a call and returns it at once; {@link FunctionCall#get} fetches the value, now or later. */
    public FunctionCall<R> spawn(Object... args) {
        List<Object> checked = FunctionArgs.check(spec, args == null ? new Object[] {null} : args);
        return new FunctionCall<>(app == null ? FunctionRuntime.current().spawn(spec, checked)
                : FunctionRuntime.current().spawn(spec, checked, app));
    }

    /** One call per input (a function of one parameter), results in input order. */
    public List<R> map(List<?> inputs) {
        List<List<?>> argLists = new ArrayList<>();
        for (Object in : inputs) {
            argLists.add(Arrays.asList(in));
        }
        return starmap(argLists);
    }

    /** One call per argument list, results in input order; the first failed call's exception is thrown. */
    public List<R> starmap(List<? extends List<?>> argLists) {
        List<Object[]> all = new ArrayList<>();
        for (List<?> a : argLists) {
            Object[] args = a.toArray();
            FunctionArgs.check(spec, args); // every input is checked before any call starts
            all.add(args);
        }
        List<FunctionCall<R>> calls = new ArrayList<>();
        for (Object[] a : all) {
            calls.add(spawn(a));
        }
        IntConsumer progress = FunctionRuntime.current().progress(spec.name() + ".map", calls.size());
        List<R> out = new ArrayList<>();
        for (FunctionCall<R> c : calls) {
            out.add(c.get());
            progress.accept(out.size());
        }
        return out;
    }

    @Override
    public String toString() {
        return "Function " + (app == null ? "" : app + "/") + spec.describe() + " (call .remote(...), .spawn(...), .map(...))";
    }
}
