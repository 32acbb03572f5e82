package dev.ferry.remote.control;

import dev.ferry.remote.engine.Engine;
import dev.ferry.remote.engine.EngineException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The labels that tie a container to the kernel that started it, and the clean-up of containers whose kernel
 * is gone (its pid dead, or reused by another process: the start time differs).
 */
public final class Janitor {
    public static final String KERNEL_LABEL = "dev.ferry.kernel";
    public static final String PID_LABEL = "dev.ferry.kernel.pid";
    public static final String STARTED_LABEL = "dev.ferry.kernel.started";
    public static final String HOST_LABEL = "dev.ferry.host";
    public static final String SESSION_LABEL = "dev.ferry.session";

    private Janitor() {}

    /** The labels that identify the kernel process this JVM is ({@code dev.ferry.kernel.*}). */
    public static Map<String, String> labelsOfThisKernel(String kernelId) {
        ProcessHandle self = ProcessHandle.current();
        Map<String, String> l = new LinkedHashMap<>();
        l.put(KERNEL_LABEL, kernelId);
        l.put(PID_LABEL, Long.toString(self.pid()));
        l.put(STARTED_LABEL, self.info().startInstant().map(i -> Long.toString(i.toEpochMilli())).orElse("0"));
        l.put(HOST_LABEL, hostName());
        return l;
    }

    static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    /**
     * Removes containers left by kernels of this host that are gone (by their labels: pid and start time).
     * Returns how many went.
     */
    static int removeLeftovers(EngineRegistry engines, Map<String, String> kernelLabels) {
        Engine docker;
        try {
            docker = engines.engine("docker");
        } catch (EngineException e) {
            return 0;
        }
        if (!docker.available()) {
            return 0;
        }
        int n = 0;
        try {
            for (Engine.PlacementInfo p : docker.list(Map.of(HOST_LABEL, kernelLabels.get(HOST_LABEL)))) {
                if (kernelGone(p.labels())) {
                    docker.remove(p.id());
                    n++;
                }
            }
        } catch (EngineException e) {
            System.err.println("[ferry] could not clean up containers of dead kernels: " + e.getMessage());
        }
        return n;
    }

    public static boolean kernelGone(Map<String, String> labels) {
        long pid;
        try {
            pid = Long.parseLong(labels.getOrDefault(PID_LABEL, "0"));
        } catch (NumberFormatException e) {
            return false;
        }
        if (pid <= 0) {
            return false;
        }
        var p = ProcessHandle.of(pid);
        if (p.isEmpty() || !p.get().isAlive()) {
            return true;
        }
        String started = labels.getOrDefault(STARTED_LABEL, "0");
        String actual = p.get().info().startInstant().map(i -> Long.toString(i.toEpochMilli())).orElse("0");
        return !started.equals("0") && !actual.equals("0") && !started.equals(actual); // the pid was reused
    }
}
