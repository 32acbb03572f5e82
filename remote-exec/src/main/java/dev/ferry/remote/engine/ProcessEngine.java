package dev.ferry.remote.engine;

import dev.ferry.Image;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Workers as local child processes: no isolation beyond the process, no images, no limits. The embedded
 * default where no container engine answers.
 */
public final class ProcessEngine implements Engine {
    /** What {@link #prepare} returns: the process engine runs the kernel's own JDK. */
    public static final String LOCAL = "local";
    private final String java;

    /** {@code java}: the executable the workers run (the kernel's own). */
    public ProcessEngine(String java) {
        this.java = java;
    }

    @Override
    public String name() {
        return "process";
    }

    @Override
    public boolean available() {
        return true;
    }

    @Override
    public String prepare(Image image, Consumer<String> log) throws EngineException {
        if (image != null) {
            throw new EngineException("the process engine runs cells as local processes and cannot use images"
                    + " (image= given): run with engine=docker, or leave image= out");
        }
        return LOCAL;
    }

    @Override
    public boolean isolated() {
        return false;
    }

    @Override
    public String placementNoun() {
        return "worker process";
    }

    @Override
    public Placement start(PlacementSpec spec) throws EngineException {
        if (!spec.mounts().isEmpty()) {
            throw new EngineException("the process engine cannot mount volumes: use engine=docker, or open the"
                    + " volume in the cell with Volume.fromName");
        }
        if (!spec.network().equals("none") && !spec.network().equals("host")) {
            throw new EngineException("the process engine has no networks (network=" + spec.network() + "): use engine=docker");
        }
        WorkerLaunch l = spec.launch();
        try {
            return ProcessPlacement.start(new WorkerLaunch(java, l.jvmOptions(), l.classPath(), l.env(), l.workDir()));
        } catch (IOException e) {
            throw new EngineException("could not start a local worker process: " + e.getMessage(), e);
        }
    }

    @Override
    public List<PlacementInfo> list(Map<String, String> labels) {
        return List.of(); // the control plane knows its processes
    }

    @Override
    public void remove(String id) {
        ProcessHandle.of(Long.parseLong(id)).ifPresent(ProcessHandle::destroyForcibly);
    }
}
