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
 */
public record FunctionSpec(String name, String methodSource, List<String> declarations, List<String> parameterTypes,
                           List<String> parameterNames, String returnType, int timeoutS, int retries, String engine,
                           Map<String, String> env) {
    public FunctionSpec {
        declarations = List.copyOf(declarations);
        parameterTypes = List.copyOf(parameterTypes);
        parameterNames = List.copyOf(parameterNames);
        env = Map.copyOf(env);
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
