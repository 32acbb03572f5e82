package dev.ferry;

import dev.ferry.spi.FunctionRuntime;
import dev.ferry.spi.FunctionSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    /** The longest one wait on the server lasts. */
    private static final long POLL_MS = 55_000;
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

    /**
     * Runs the method in a worker on these arguments and returns its value; what the call prints there is printed
     * here as it comes.
     */
    public R remote(Object... args) {
        FunctionCall<R> call = spawn(args);
        return call.get(true);
    }

    /** {@link #remote} without blocking: the future completes with the value or the remote exception. */
    public CompletableFuture<R> remoteAsync(Object... args) {
        FunctionCall<R> call = spawn(args); // argument errors are thrown here, at once
        return CompletableFuture.supplyAsync(call::get, ASYNC);
    }

    /** Starts a call and returns it at once; {@link FunctionCall#get} fetches the value, now or later. */
    public FunctionCall<R> spawn(Object... args) {
        List<Object> checked = FunctionArgs.check(spec, args == null ? new Object[] {null} : args);
        return new FunctionCall<>(start(FunctionRuntime.current(), checked));
    }

    /**
     * One call per input (a function of one parameter), results in input order, with a progress bar; at most
     * 1,000 inputs are in flight at once. The first failed input's exception is thrown.
     */
    public List<R> map(List<?> inputs) {
        return map(inputs, MapOptions.defaults());
    }

    /** {@link #map} with options: {@code MapOptions.unordered()} for results as they complete, {@code window(n)}. */
    public List<R> map(List<?> inputs, MapOptions options) {
        return starmap(single(inputs), options);
    }

    /** One call per argument list, results in input order; the first failed call's exception is thrown. */
    public List<R> starmap(List<? extends List<?>> argLists) {
        return starmap(argLists, MapOptions.defaults());
    }

    @SuppressWarnings("unchecked")
    public List<R> starmap(List<? extends List<?>> argLists, MapOptions options) {
        return (List<R>) run(argLists, options, false, true);
    }

    /**
     * {@link #map} where a failed input yields its exception in its place (Modal's {@code return_exceptions=True}):
     * each element is the value or the {@link RuntimeException} the call threw (its own type where it loads here).
     */
    public List<Object> mapReturnExceptions(List<?> inputs) {
        return mapReturnExceptions(inputs, MapOptions.defaults());
    }

    public List<Object> mapReturnExceptions(List<?> inputs, MapOptions options) {
        return run(single(inputs), options, true, true);
    }

    /** {@link #starmap} where a failed call yields its exception in its place. */
    public List<Object> starmapReturnExceptions(List<? extends List<?>> argLists, MapOptions options) {
        return run(argLists, options, true, true);
    }

    /** Runs the function on every input for its effects (results as they complete, not kept); throws the first failure. */
    public void forEach(List<?> inputs) {
        run(single(inputs), MapOptions.unordered(), false, false);
    }

    /**
     * Starts one call per input and returns them at once (fire and forget; Modal's {@code spawn_map}): the calls
     * are recorded on the server, fetch them by id later.
     */
    public List<FunctionCall<R>> spawnMap(List<?> inputs) {
        List<Object[]> all = checked(single(inputs));
        List<FunctionCall<R>> calls = new ArrayList<>();
        for (Object[] a : all) {
            calls.add(new FunctionCall<>(start(FunctionRuntime.current(), Arrays.asList(a))));
        }
        return calls;
    }

    /** Spawns one call of checked arguments, tagged with the app of a {@link #fromName} handle; returns its id. */
    private String start(FunctionRuntime rt, List<Object> args) {
        return app == null ? rt.spawn(spec, args) : rt.spawn(spec, args, app);
    }

    private static List<List<?>> single(List<?> inputs) {
        List<List<?>> argLists = new ArrayList<>();
        for (Object in : inputs) {
            argLists.add(Arrays.asList(in));
        }
        return argLists;
    }

    /** Every input is checked before any call starts. */
    private List<Object[]> checked(List<? extends List<?>> argLists) {
        List<Object[]> all = new ArrayList<>();
        for (List<?> a : argLists) {
            Object[] args = a.toArray();
            FunctionArgs.check(spec, args);
            all.add(args);
        }
        return all;
    }

    /**
     * The map engine: keeps at most {@code window} calls in flight, waits for any of them to finish, and puts each
     * value (or exception, with {@code returnExceptions}) at its input's place or in completion order.
     */
    private List<Object> run(List<? extends List<?>> argLists, MapOptions options, boolean returnExceptions, boolean keep) {
        List<Object[]> all = checked(argLists);
        FunctionRuntime rt = FunctionRuntime.current();
        int n = all.size();
        Object[] byInput = new Object[n];
        List<Object> byCompletion = new ArrayList<>();
        Map<String, Integer> inFlight = new LinkedHashMap<>();
        IntConsumer progress = rt.progress(spec.name() + ".map", n);
        int next = 0;
        int done = 0;
        while (done < n) {
            while (next < n && inFlight.size() < options.window()) {
                inFlight.put(start(rt, Arrays.asList(all.get(next))), next);
                next++;
            }
            List<FunctionRuntime.CallState> finished = rt.await(new ArrayList<>(inFlight.keySet()), POLL_MS);
            for (FunctionRuntime.CallState s : finished) {
                Integer at = inFlight.remove(s.id());
                if (at == null) {
                    continue;
                }
                Object v;
                if (s.state().equals("SUCCEEDED")) {
                    v = s.value();
                } else if (returnExceptions) {
                    v = s.error();
                } else {
                    throw s.error();
                }
                done++;
                if (keep) {
                    byInput[at] = v;
                    byCompletion.add(v);
                }
            }
            if (!finished.isEmpty()) {
                progress.accept(done);
            }
        }
        if (n == 0) {
            progress.accept(0);
        }
        return !keep ? List.of() : options.orderOutputs() ? Arrays.asList(byInput) : byCompletion;
    }

    @Override
    public String toString() {
        return "Function " + (app == null ? "" : app + "/") + spec.describe() + " (call .remote(...), .spawn(...), .map(...), .spawnMap(...), .forEach(...))";
    }
}
