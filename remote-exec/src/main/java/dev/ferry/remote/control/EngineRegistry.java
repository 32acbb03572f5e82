package dev.ferry.remote.control;

import com.google.gson.JsonObject;
import dev.ferry.remote.engine.Engine;
import dev.ferry.remote.engine.EngineException;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The engines {@code %%remote} can run on, made on first use, and the rule that picks one for a cell: the
 * cell's {@code engine=}, else the notebook's default ({@code %remote config engine=...}), else the
 * environment's ({@code FERRY_ENGINE}), else docker when it answers, else process.
 */
final class EngineRegistry implements AutoCloseable {
    private final Map<String, Supplier<Engine>> engineMakers;
    private final Map<String, Engine> engines = new ConcurrentHashMap<>();
    private final String envDefault;
    private volatile String notebookDefault;

    EngineRegistry(Map<String, Supplier<Engine>> engineMakers, String envDefault) {
        this.engineMakers = Map.copyOf(engineMakers);
        this.envDefault = envDefault == null || envDefault.isBlank() ? null : envDefault.strip();
    }

    /** The engine of this name, made on first use; an error naming the known engines otherwise. */
    Engine engine(String name) throws EngineException {
        Supplier<Engine> maker = engineMakers.get(name);
        if (maker == null) {
            throw new EngineException("unknown engine '" + name + "': use one of " + String.join(", ",
                    new java.util.TreeSet<>(engineMakers.keySet())));
        }
        return engines.computeIfAbsent(name, n -> maker.get());
    }

    /** engine= on the cell, else the notebook's default, else FERRY_ENGINE, else docker when it answers, else process. */
    Engine choose(String requested, Consumer<String> notice) throws EngineException {
        String want = requested != null ? requested : notebookDefault != null ? notebookDefault : envDefault;
        if (want != null) {
            Engine e = engine(want);
            EngineException problem = e.problem(); // a certificate that does not verify, no kubeconfig, not there
            if (problem != null) {
                throw problem;
            }
            return e;
        }
        if (engineMakers.containsKey("docker")) {
            Engine docker = engine("docker");
            EngineException problem = docker instanceof dev.ferry.remote.engine.docker.DockerEngine d ? d.problem()
                    : docker.available() ? null : new EngineException("no Docker engine answers");
            if (problem == null) {
                return docker;
            }
            if (docker instanceof dev.ferry.remote.engine.docker.DockerEngine d && d.settings().tlsVerify()) {
                throw problem; // an engine configured with TLS that refuses (or is refused) is no reason to run here
            }
            notice.accept("no Docker engine answers; this cell runs in a local process (engine=process). Start one"
                    + " with install/docker.sh, or say engine=process to silence this.\n");
        }
        return engine("process");
    }

    /** {@code %remote config}: sets the notebook's default engine, or says which one is in effect. */
    String config(JsonObject args) throws EngineException {
        if (args.has("engine")) {
            String e = args.get("engine").getAsString();
            engine(e); // known?
            notebookDefault = e;
            return "remote cells now run on the " + e + " engine by default";
        }
        return "engine: " + (notebookDefault != null ? notebookDefault + " (set by %remote config)"
                : envDefault != null ? envDefault + " (FERRY_ENGINE)" : "automatic (docker when it answers, else process)");
    }

    /** The engine of this name if it was made already, else null (nothing is started to ask). */
    Engine started(String name) {
        return engines.get(name);
    }

    @Override
    public void close() {
        engines.values().forEach(Engine::close);
    }
}
