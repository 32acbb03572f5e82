package dev.ferry.spi;

import java.util.List;
import java.util.Map;

/**
 * What a {@link dev.ferry.Function} sends to be run: the method's name and source, the notebook's declarations
 * it may use, its declared parameter and return types, and the options of {@code %%function}.
 *
 * @param timeoutS per attempt; 0: the server's default (300 s)
 * @param retries  attempts after a failed first one
 * @param engine   "process" (the only engine function calls run on today)
 * @param env      environment variables of the worker
 * @param scaling  warm workers: min/max/buffer containers, scaledown window, max inputs per worker
 * @param backoff  the delays between retries; null: 1 s apart (Modal's {@code retries=N})
 */
public record FunctionSpec(String name, String methodSource, List<String> declarations, List<String> parameterTypes,
                           List<String> parameterNames, String returnType, int timeoutS, int retries, String engine,
                           Map<String, String> env, Scaling scaling, Backoff backoff) {
    public FunctionSpec {
        declarations = List.copyOf(declarations);
        parameterTypes = List.copyOf(parameterTypes);
        parameterNames = List.copyOf(parameterNames);
        env = Map.copyOf(env);
        scaling = scaling == null ? Scaling.DEFAULT : scaling;
    }

    /** A spec with the default scaling (scale to zero, idle workers stop after 60 s) and 1 s between retries. */
    public FunctionSpec(String name, String methodSource, List<String> declarations, List<String> parameterTypes,
                        List<String> parameterNames, String returnType, int timeoutS, int retries, String engine,
                        Map<String, String> env) {
        this(name, methodSource, declarations, parameterTypes, parameterNames, returnType, timeoutS, retries, engine, env,
                Scaling.DEFAULT, null);
    }

    /**
     * Warm workers of a function (Modal's autoscaler settings); 0 means the default of each.
     *
     * @param minContainers    workers kept warm even when idle
     * @param maxContainers    the most workers at once (excess calls wait); 0: no cap of its own
     * @param bufferContainers extra idle workers while calls run
     * @param scaledownWindowS seconds an idle worker is kept (0: 60)
     * @param maxInputs        inputs a worker runs before it is retired (0: no limit; 1: a fresh worker each time)
     */
    public record Scaling(int minContainers, int maxContainers, int bufferContainers, int scaledownWindowS, int maxInputs) {
        public static final Scaling DEFAULT = new Scaling(0, 0, 0, 0, 0);
    }

    /**
     * Modal's {@code Retries} delays: retry n waits {@code initialDelayS * coefficient^(n-1)}, at most
     * {@code maxDelayS} (1.0 to 10.0; 0 to 60 s; 1 to 60 s).
     */
    public record Backoff(double coefficient, double initialDelayS, double maxDelayS) {
        public static final Backoff MODAL = new Backoff(2.0, 1.0, 60.0);
    }

    /** "square(int x)", for messages. */
    public String describe() {
        StringBuilder b = new StringBuilder(name).append('(');
        for (int i = 0; i < parameterTypes.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(parameterTypes.get(i)).append(' ').append(parameterNames.get(i));
        }
        return b.append(')').toString();
    }
}
