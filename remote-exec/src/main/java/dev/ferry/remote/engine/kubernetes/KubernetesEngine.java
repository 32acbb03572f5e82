package dev.ferry.remote.engine.kubernetes;

import dev.ferry.remote.engine.Engine;
import dev.ferry.remote.engine.EngineException;
import dev.ferry.remote.engine.Placement;
import dev.ferry.remote.engine.PlacementSpec;
import dev.ferry.remote.engine.WorkerLaunch;
import dev.ferry.Image;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ExecWatch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Workers in Kubernetes pods, through the fabric8 client: the only class (with its package) that imports it.
 *
 * <p>A pod ({@link KubePods}) runs {@code sleep infinity}; once it runs, the worker's class path is written into its
 * {@code /opt/ferry/worker} (an emptyDir), one exec per jar, and the worker JVM is exec'd with its streams on the
 * exec's stdin/stdout/stderr (frames in and out, raw output), so the pod needs no network beyond the API server's
 * exec. Kubernetes schedules; Ferry never picks a node. The image must be pullable by the cluster ({@link #prepare}).
 */
public final class KubernetesEngine implements Engine {
    private final KubeSettings settings;
    private final Predicate<Map<String, String>> orphan;
    private final AtomicBoolean janitorRan = new AtomicBoolean();
    private KubernetesClient client;
    private String namespace;
    private String server;

    /**
     * @param orphan which pods (by their labels) belong to a kernel that is gone, for the janitor that removes them at
     *               the engine's first start (the kernel's: same host, its pid gone or reused)
     */
    public KubernetesEngine(KubeSettings settings, Predicate<Map<String, String>> orphan) {
        this.settings = settings;
        this.orphan = orphan;
    }

    /** An engine on a client made elsewhere (tests: fabric8's mock API server). */
    KubernetesEngine(KubeSettings settings, Predicate<Map<String, String>> orphan, KubernetesClient client) {
        this(settings, orphan);
        this.client = client;
        this.namespace = settings.namespace() != null ? settings.namespace()
                : client.getNamespace() != null ? client.getNamespace() : "default";
        this.server = String.valueOf(client.getMasterUrl());
    }

    @Override
    public String name() {
        return "kubernetes";
    }

    @Override
    public String placementNoun() {
        return "pod";
    }

    public KubeSettings settings() {
        return settings;
    }

    synchronized KubernetesClient client() throws EngineException {
        if (settings.invalid() != null) {
            throw new EngineException(settings.invalid());
        }
        if (client == null) {
            if (!Files.isRegularFile(settings.kubeconfig())) {
                throw KubeErrors.noKubeconfig(settings.kubeconfig());
            }
            Config config;
            try {
                config = Config.fromKubeconfig(settings.context(), settings.kubeconfig().toFile());
            } catch (RuntimeException e) {
                throw new EngineException("cannot read the kubeconfig " + settings.kubeconfig()
                        + (settings.context() == null ? "" : " (context " + settings.context() + ", FERRY_KUBE_CONTEXT)")
                        + ": " + e.getMessage() + "; check it with `kubectl config view`", e);
            }
            config.setConnectionTimeout(5_000);
            config.setRequestRetryBackoffLimit(0);
            client = new KubernetesClientBuilder().withConfig(config).build();
            namespace = settings.namespace() != null ? settings.namespace()
                    : config.getNamespace() != null ? config.getNamespace() : "default";
            server = config.getMasterUrl();
        }
        return client;
    }

    String namespace() throws EngineException {
        client();
        return namespace;
    }

    @Override
    public boolean available() {
        return problem() == null;
    }

    /** Why the cluster cannot take pods now (no kubeconfig, no API server, no namespace), or null. */
    @Override
    public EngineException problem() {
        try {
            KubernetesClient c = client();
            try {
                if (c.namespaces().withName(namespace).get() == null) {
                    return KubeErrors.missingNamespace(namespace);
                }
            } catch (KubernetesClientException e) {
                if (e.getCode() != 403) { // a user that may not read namespaces may still run pods in its own
                    throw e;
                }
                c.pods().inNamespace(namespace).withLabel(KubePods.LABEL, "worker").list();
            }
            return null;
        } catch (EngineException e) {
            return e;
        } catch (KubernetesClientException e) {
            return KubeErrors.map("checking namespace " + namespace, e, server, namespace);
        }
    }

    /**
     * The reference the pods use. Nothing is built here: a recipe's image is built with {@code engine=docker} and
     * pushed to the registry of {@code FERRY_KUBE_REGISTRY} (docs/kubernetes.md); a plain {@code Image.fromRegistry}
     * name is used as it is. An image the nodes cannot pull fails the cell with the push command.
     */
    @Override
    public String prepare(Image image, Consumer<String> log) throws EngineException {
        Image.Rendered r = image.render();
        boolean plain = r.layers().size() == 1 && image.baseImage().isPresent() && r.context().entries().isEmpty()
                && r.context().baseDir().isEmpty() && r.dockerfile().strip().endsWith("FROM " + image.baseImage().get());
        String local = plain ? image.baseImage().get() : r.tag();
        String ref = local.startsWith("ferry/") ? settings.clusterImage(local) : local;
        if (!ref.equals(local) || !plain) {
            log.accept("kubernetes: pods run " + ref + (ref.equals(local) ? "" : " (" + local + " pushed to "
                    + settings.registry() + ")") + "; the cluster's nodes must be able to pull it (docs/kubernetes.md)");
        }
        return ref;
    }

    @Override
    public Placement start(PlacementSpec spec) throws EngineException {
        KubernetesClient c = client();
        janitor();
        String name = "ferry-" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Pod pod = KubePods.pod(name, spec, settings);
        try {
            if (!spec.launch().env().isEmpty()) {
                c.secrets().inNamespace(namespace).resource(KubePods.envSecret(name, spec.launch().env(),
                        pod.getMetadata().getLabels())).create();
            }
            Pod created = c.pods().inNamespace(namespace).resource(pod).create();
            if (!spec.launch().env().isEmpty()) { // the Secret goes with its pod (the cluster's garbage collector)
                c.secrets().inNamespace(namespace).withName(KubePods.envSecretName(name)).edit(sec -> {
                    sec.getMetadata().setOwnerReferences(List.of(new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder()
                            .withApiVersion("v1").withKind("Pod").withName(name)
                            .withUid(created.getMetadata().getUid()).build()));
                    return sec;
                });
            }
        } catch (KubernetesClientException e) {
            delete(c, namespace, name);
            throw KubeErrors.map("creating pod " + name, e, server, namespace);
        }
        try {
            awaitRunning(name, pod, spec.image());
            List<String> classPath = upload(name, spec.launch().expandedClassPath());
            classPath.add(Image.MAVEN_LIB_DIR + "*"); // Image.mavenInstall jars, after Ferry's own
            List<String> jvm = new ArrayList<>(spec.launch().jvmOptions());
            if (spec.cpus() != null) {
                jvm.add("-XX:ActiveProcessorCount=" + Math.max(1, (int) Math.ceil(spec.cpus())));
            }
            ExecWatch exec = c.pods().inNamespace(namespace).withName(name).inContainer(KubePods.CONTAINER)
                    .redirectingInput().redirectingOutput().redirectingError()
                    .exec(WorkerLaunch.command("java", jvm, classPath).toArray(String[]::new));
            return new KubePlacement(c, namespace, name, exec);
        } catch (KubernetesClientException e) {
            delete(c, namespace, name);
            throw KubeErrors.execFailed(name, e, server, namespace);
        } catch (EngineException | RuntimeException e) {
            delete(c, namespace, name);
            throw e;
        }
    }

    /** Waits until the pod's container runs; a pod that cannot start fails with why (KubeErrors.stuck). */
    void awaitRunning(String name, Pod asked, String image) throws EngineException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.startTimeoutS());
        Pod pod = null;
        while (System.nanoTime() < deadline) {
            try {
                pod = client.pods().inNamespace(namespace).withName(name).get();
            } catch (KubernetesClientException e) {
                throw KubeErrors.map("waiting for pod " + name, e, server, namespace);
            }
            if (pod == null) {
                throw new EngineException("pod " + name + " was deleted while it started (by someone else, or"
                        + " the kernel's janitor on another host)");
            }
            pod.setSpec(asked.getSpec()); // what it asked for, for messages
            EngineException stuck = KubeErrors.stuck(pod, image, settings);
            if (stuck != null) {
                throw stuck;
            }
            var st = pod.getStatus();
            if (st != null && "Running".equals(st.getPhase()) && st.getContainerStatuses() != null
                    && st.getContainerStatuses().stream().anyMatch(cs -> cs.getState() != null && cs.getState().getRunning() != null)) {
                return;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EngineException("interrupted while pod " + name + " started");
            }
        }
        String phase = pod == null || pod.getStatus() == null ? "unknown" : pod.getStatus().getPhase();
        throw new EngineException("pod " + name + " did not run within " + settings.startTimeoutS() + " s (phase "
                + phase + "): see `kubectl -n " + namespace + " describe pod " + name + "`; a large image on a"
                + " cold node takes long to pull: raise FERRY_KUBE_START_TIMEOUT");
    }

    /** Writes the class path's files into the pod's worker folder, one exec each; returns their paths there. */
    private List<String> upload(String name, List<Path> entries) throws EngineException {
        List<String> out = new ArrayList<>();
        int n = 0;
        for (Path entry : entries) {
            Path abs = entry.toAbsolutePath().normalize();
            if (!Files.isRegularFile(abs)) {
                continue; // a build tree's classes folders are not shipped (the installed kernel has jars only)
            }
            String target = KubePods.WORKER_DIR + "/" + (n++) + "-" + abs.getFileName();
            try (InputStream in = Files.newInputStream(abs)) {
                long size = Files.size(abs);
                ExecWatch w = client.pods().inNamespace(namespace).withName(name).inContainer(KubePods.CONTAINER)
                        .redirectingInput().redirectingOutput().redirectingError()
                        .exec("sh", "-c", "head -c \"$0\" > \"$1\"", Long.toString(size), target);
                try (w) {
                    OutputStream to = w.getInput();
                    in.transferTo(to);
                    to.flush();
                    Integer code = w.exitCode().get(120, TimeUnit.SECONDS);
                    if (code == null || code != 0) {
                        throw new EngineException("copying " + abs.getFileName() + " into pod " + name
                                + " failed (exit code " + code + "): the image needs `sh` and `head`");
                    }
                }
            } catch (IOException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new EngineException("copying the worker's " + abs.getFileName() + " into pod " + name
                        + " failed: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EngineException("interrupted while copying the worker into pod " + name);
            }
            out.add(target);
        }
        return out;
    }

    @Override
    public List<PlacementInfo> list(Map<String, String> labels) throws EngineException {
        KubernetesClient c = client();
        Map<String, String> filter = new LinkedHashMap<>();
        filter.put(KubePods.LABEL, "worker");
        labels.forEach((k, v) -> filter.put(k, KubePods.labelValue(v)));
        try {
            List<PlacementInfo> out = new ArrayList<>();
            for (Pod p : c.pods().inNamespace(namespace).withLabels(filter).list().getItems()) {
                out.add(new PlacementInfo(p.getMetadata().getName(), p.getSpec().getContainers().get(0).getImage(),
                        p.getStatus() == null || p.getStatus().getPhase() == null ? "Pending" : p.getStatus().getPhase(),
                        KubePods.originalLabels(p)));
            }
            return out;
        } catch (KubernetesClientException e) {
            throw KubeErrors.map("listing pods", e, server, namespace);
        }
    }

    @Override
    public void remove(String id) throws EngineException {
        try {
            client().pods().inNamespace(namespace).withName(id).withGracePeriod(0).delete();
            client().secrets().inNamespace(namespace).withName(KubePods.envSecretName(id)).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw KubeErrors.map("deleting pod " + id, e, server, namespace);
            }
        }
    }

    /** Deletes a pod now, and its environment's Secret (which its owner reference would take later anyway). */
    static void delete(KubernetesClient client, String namespace, String name) {
        try {
            client.pods().inNamespace(namespace).withName(name).withGracePeriod(0).delete();
            client.secrets().inNamespace(namespace).withName(KubePods.envSecretName(name)).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                System.err.println("[ferry] could not delete pod " + namespace + "/" + name + ": " + e.getMessage());
            }
        }
    }

    /**
     * Deletes the pods of kernels that are gone ({@code orphan}), once per engine: a crashed kernel's pods would
     * otherwise sleep for ever. Returns how many went.
     */
    int removeOrphans() throws EngineException {
        int n = 0;
        for (PlacementInfo p : list(Map.of())) {
            if (orphan.test(p.labels())) {
                remove(p.id());
                n++;
            }
        }
        return n;
    }

    private void janitor() {
        if (janitorRan.compareAndSet(false, true)) {
            Thread t = new Thread(() -> {
                try {
                    removeOrphans();
                } catch (EngineException | RuntimeException e) {
                    System.err.println("[ferry] could not remove pods of dead kernels: " + e.getMessage());
                }
            }, "ferry-kube-janitor");
            t.setDaemon(true);
            t.start();
        }
    }

    /** The cluster and namespace, for messages. */
    public String describe() {
        return "Kubernetes at " + server + ", namespace " + namespace;
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
        }
    }
}
