package dev.ferry.remote.engine.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.DeviceRequest;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dev.ferry.Image;
import dev.ferry.gpu.DockerDeviceRequest;
import dev.ferry.remote.engine.Engine;
import dev.ferry.remote.engine.EngineException;
import dev.ferry.remote.engine.Placement;
import dev.ferry.remote.engine.PlacementSpec;
import dev.ferry.remote.engine.WorkerLaunch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Workers in Docker containers, through docker-java: a local socket or a remote engine ({@code tcp://}
 * with TLS). The only class (with its package) that imports docker-java.
 *
 * <p>The worker's class path reaches the container without touching the image, so image tags stay
 * stable: on a local engine its entries are bind-mounted read-only at the same paths; on a remote engine
 * they are sent once into a named volume there ({@link WorkerVolume}), mounted read-only in each container. (The kernel's class-data-sharing archive is made
 * for the host's JDK build and is not given to containers.)
 */
public final class DockerEngine implements Engine {
    /** Label on every container Ferry starts. */
    public static final String LABEL = "dev.ferry";
    static final String COPY_ROOT = "/opt/ferry/worker/";

    /** How to reach the engine: {@code host} as in DOCKER_HOST; TLS settings for a remote engine. */
    public record Settings(String host, boolean tlsVerify, String certPath, boolean copyWorker) {
        public static Settings local() {
            return new Settings("unix:///var/run/docker.sock", false, null, false);
        }

        /** From the DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH values (null when unset). */
        public static Settings of(String host, String tlsVerify, String certPath) {
            String h = host == null || host.isBlank() ? "unix:///var/run/docker.sock" : host.strip();
            boolean tls = tlsVerify != null && !tlsVerify.isBlank() && !tlsVerify.equals("0");
            return new Settings(h, tls, certPath, !h.startsWith("unix://"));
        }

        /** The folder the client certificates are read from (docker-java's default when DOCKER_CERT_PATH is unset). */
        public String certDir() {
            return certPath != null && !certPath.isBlank() ? certPath : dev.ferry.spi.FerryEnv.current().userHome() + "/.docker";
        }
    }

    private final Settings settings;
    private final DockerClientConfig config;
    private final DockerClient docker;
    private final ImageBuilder builder;
    private final WorkerVolume workerVolume;

    public DockerEngine(Settings settings) {
        this.settings = settings;
        DefaultDockerClientConfig.Builder b = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(settings.host()).withDockerTlsVerify(settings.tlsVerify());
        if (settings.certPath() != null && !settings.certPath().isBlank()) {
            b.withDockerCertPath(settings.certPath());
        }
        this.config = b.build();
        this.docker = client(64);
        this.builder = new ImageBuilder(docker, settings.host());
        this.workerVolume = new WorkerVolume(docker, settings.host());
    }

    private DockerClient client(int maxConnections) {
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost()).sslConfig(config.getSSLConfig())
                .maxConnections(maxConnections).connectionTimeout(Duration.ofSeconds(3)).build();
        return DockerClientImpl.getInstance(config, http);
    }

    @Override
    public String name() {
        return "docker";
    }

    public Settings settings() {
        return settings;
    }

    @Override
    public boolean available() {
        try {
            docker.pingCmd().exec();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Why the engine does not answer, as a message naming the problem and the fix (a certificate that does
     * not verify, an engine that is not there); null when it answers.
     */
    @Override
    public EngineException problem() {
        try {
            docker.pingCmd().exec();
            return null;
        } catch (RuntimeException e) {
            EngineException tls = DockerErrors.tls(e, settings.host(), tlsDir());
            return tls != null ? tls : DockerErrors.unreachable(settings.host(), e);
        }
    }

    private String tlsDir() {
        return settings.tlsVerify() ? settings.certDir() : null;
    }

    @Override
    public String prepare(Image image, Consumer<String> log) throws EngineException {
        return builder.prepare(image, log);
    }

    @Override
    public Placement start(PlacementSpec spec) throws EngineException {
        if (settings.copyWorker() && !spec.mounts().isEmpty()) {
            throw remoteVolumes(spec.mounts(), settings.host());
        }
        List<String> classPath = new ArrayList<>();
        List<Bind> binds = new ArrayList<>();
        Map<Path, String> copies = new java.util.LinkedHashMap<>();
        deliverClassPath(spec.launch().expandedClassPath(), classPath, binds, copies);
        if (!copies.isEmpty()) { // a remote engine: the class path's volume there, sent once per engine and build
            try {
                binds.add(new Bind(workerVolume.ensure(copies, spec.image()), new Volume(COPY_ROOT), AccessMode.ro));
                copies.clear();
            } catch (Exception e) {
                throw DockerErrors.map("sending the worker's class path to the engine", e, settings.host(), tlsDir());
            }
        }
        classPath.add(Image.MAVEN_LIB_DIR + "*"); // Image.mavenInstall jars, after Ferry's own
        for (PlacementSpec.Mount m : spec.mounts()) {
            binds.add(new Bind(m.source().toAbsolutePath().toString(), new Volume(m.target()),
                    m.readOnly() ? AccessMode.ro : AccessMode.rw));
        }
        List<String> jvm = new ArrayList<>(spec.launch().jvmOptions());
        if (spec.cpus() != null) { // the JVM sizes its thread pools for the limit, which applies once it answered
            jvm.add("-XX:ActiveProcessorCount=" + Math.max(1, (int) Math.ceil(spec.cpus())));
        }
        List<String> command = WorkerLaunch.command("java", jvm, classPath); // the image's own java
        Map<String, String> labels = new HashMap<>(spec.labels());
        labels.put(LABEL, "worker");
        HostConfig host = HostConfig.newHostConfig()
                .withNetworkMode(spec.network())
                .withBinds(binds)
                .withLogConfig(new LogConfig(LogConfig.LoggingType.NONE)) // every protocol byte would go to disk
                .withInit(false);
        String name = containerName();
        if (spec.network().equals("none")) {
            // no network, so Docker writes no line for the container's own name: InetAddress.getLocalHost() (Spark,
            // Hadoop, Kafka clients, logback) would fail with "Temporary failure in name resolution"
            host.withExtraHosts(name + ":127.0.0.1");
        }
        if (spec.memoryMiB() != null) {
            long bytes = spec.memoryMiB() * 1024L * 1024L;
            host.withMemory(bytes).withMemorySwap(bytes);
        }
        if (spec.gpu() != null) {
            DockerDeviceRequest r = spec.gpu().first().toDockerDeviceRequest();
            host.withDeviceRequests(List.of(new DeviceRequest().withDriver(r.driver()).withCount(r.count())
                    .withCapabilities(r.capabilities())));
        }
        List<String> env = new ArrayList<>();
        spec.launch().env().forEach((k, v) -> env.add(k + "=" + v));
        String id;
        try {
            CreateContainerCmd create = docker.createContainerCmd(spec.image()).withName(name)
                    .withCmd(command).withEntrypoint(List.of()).withLabels(labels).withEnv(env)
                    .withTty(false).withStdinOpen(true).withStdInOnce(true)
                    .withAttachStdin(true).withAttachStdout(true).withAttachStderr(true)
                    .withHostConfig(host);
            if (!spec.network().equals("host")) { // with the host's network it has the host's name
                create.withHostName(name);
            }
            id = create.exec().getId();
        } catch (RuntimeException e) {
            throw DockerErrors.map("creating a container from " + spec.image(), e, settings.host(), tlsDir());
        }
        // a remote engine's attach gets a client (a connection) of its own: see DockerPlacement
        DockerPlacement p = settings.copyWorker()
                ? new DockerPlacement(docker, client(1), id, spec.cpus(), settings.host())
                : new DockerPlacement(docker, id, spec.cpus(), settings.host());
        try {
            p.attach();
            docker.startContainerCmd(id).exec();
        } catch (InterruptedException e) {
            p.kill();
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted while starting the container");
        } catch (Exception e) {
            p.kill();
            throw DockerErrors.map("starting the container", e, settings.host(), tlsDir());
        }
        return p;
    }

    /**
     * A remote engine cannot see this machine's disk, where Volumes live: a bind mount there would be an empty folder
     * of the engine's host, and the cell would run on no data without a word. Refused until Volumes travel.
     */
    static EngineException remoteVolumes(List<PlacementSpec.Mount> mounts, String host) {
        String names = String.join(", ", mounts.stream().map(m -> m.target() + ":" + m.source().getFileName()).toList());
        return new EngineException("volumes=" + names + ": the Docker engine at " + host + " cannot see this machine's"
                + " disk, where the Volume's files are, and Ferry does not carry Volumes to a remote engine yet. Run this"
                + " cell on the local engine (a kernel without DOCKER_HOST), or bring the files along another way: an"
                + " Image step (Image.debianSlim().addLocalDir(Path.of(\"data\"), \"/data\")) for inputs, in=/out= for"
                + " values and tables, Dict/Queue for small shared state");
    }

    /** {@code ferry-<12 hex>}: the container's name and, unless it has the host's network, its host name. */
    static String containerName() {
        return "ferry-" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /**
     * Bind-mounts (local engine) the worker's class path, or lists what a remote engine's worker volume holds
     * ({@code copies}: source → path under {@code opt/ferry/worker/}); fills the container's class path.
     */
    private void deliverClassPath(List<Path> entries, List<String> classPath, List<Bind> binds, Map<Path, String> copies) {
        Set<String> mounted = new LinkedHashSet<>();
        int n = 0;
        for (Path entry : entries) {
            Path abs = entry.toAbsolutePath().normalize();
            if (!Files.exists(abs)) {
                continue;
            }
            if (settings.copyWorker()) {
                String target = COPY_ROOT + (n++) + "-" + abs.getFileName();
                copies.put(abs, target.substring(1));
                classPath.add(target);
            } else {
                Path dir = Files.isDirectory(abs) ? abs : abs.getParent();
                if (mounted.add(dir.toString())) {
                    binds.add(new Bind(dir.toString(), new Volume(dir.toString()), AccessMode.ro));
                }
                classPath.add(abs.toString());
            }
        }
    }

    @Override
    public List<PlacementInfo> list(Map<String, String> labels) throws EngineException {
        Map<String, String> filter = new HashMap<>(labels);
        filter.put(LABEL, "worker");
        try {
            List<PlacementInfo> out = new ArrayList<>();
            for (Container c : docker.listContainersCmd().withShowAll(true).withLabelFilter(filter).exec()) {
                out.add(new PlacementInfo(c.getId().substring(0, 12), c.getImage(), c.getStatus(),
                        c.getLabels() == null ? Map.of() : Map.copyOf(c.getLabels())));
            }
            return out;
        } catch (RuntimeException e) {
            throw DockerErrors.map("listing containers", e, settings.host(), tlsDir());
        }
    }

    @Override
    public void remove(String id) throws EngineException {
        try {
            docker.removeContainerCmd(id).withForce(true).exec();
        } catch (NotFoundException e) {
            // gone already
        } catch (RuntimeException e) {
            throw DockerErrors.map("removing container " + id, e, settings.host(), tlsDir());
        }
    }

    /** The engine's version and whether it lists an NVIDIA runtime, for {@code %remote ls}. */
    public String describe() {
        try {
            var info = docker.infoCmd().exec();
            return "Docker " + info.getServerVersion() + " at " + settings.host()
                    + (info.getRuntimes() != null && info.getRuntimes().containsKey("nvidia") ? " (NVIDIA runtime)" : "");
        } catch (RuntimeException e) {
            return "Docker at " + settings.host() + " (not answering)";
        }
    }

    @Override
    public void close() {
        try {
            docker.close();
        } catch (java.io.IOException e) {
            // closing
        }
    }
}
