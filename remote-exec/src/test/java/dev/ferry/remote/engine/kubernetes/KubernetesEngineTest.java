package dev.ferry.remote.engine.kubernetes;

import dev.ferry.gpu.GpuSpec;
import dev.ferry.remote.engine.Engine;
import dev.ferry.remote.engine.EngineException;
import dev.ferry.remote.engine.PlacementSpec;
import dev.ferry.remote.engine.WorkerLaunch;
import dev.ferry.Image;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine contract as far as fabric8's mock API server (CRUD mode: an in-memory API server that stores what it
 * is sent and runs nothing) can take it: the pod a cell asks for (labels, resources, GPU, env, volumes, restart
 * policy), listing and removal by label, the janitor, the removal of a pod that cannot start, and each way a pod or
 * the cluster fails as a message naming the problem and the fix. What needs a kubelet (the worker speaking frames
 * over exec) is in docs/kubernetes.md under "What was verified".
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesEngineTest {
    static KubernetesMockServer server;
    static KubernetesClient client;
    private static final String NS = "ferry-test";

    private KubernetesEngine engine;

    @BeforeEach
    void namespace() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).createOr(r -> r.update());
        client.pods().inNamespace(NS).delete();
        engine = new KubernetesEngine(settings(Map.of()), labels -> "dead".equals(labels.get("dev.ferry.kernel.pid")), client);
    }

    private static KubeSettings settings(Map<String, String> env) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.putIfAbsent("FERRY_KUBE_NAMESPACE", NS);
        all.putIfAbsent("FERRY_KUBE_START_TIMEOUT", "60");
        return KubeSettings.of(all, "/nonexistent-home");
    }

    private static PlacementSpec spec(Map<String, String> labels, Double cpus, Long mem, GpuSpec gpu, List<PlacementSpec.Mount> mounts) {
        return new PlacementSpec("registry.example/ferry/image:abc", new WorkerLaunch("java", List.of(), List.of(),
                Map.of("FERRY_CONTRACT", "yes"), null), labels, cpus, mem, "none", gpu, mounts);
    }

    /** Starts in the background, waits for the pod to exist, gives it a status, and returns how start ended. */
    private EngineException startAndSet(PlacementSpec spec, UnaryOperator<Pod> status) throws Exception {
        CompletableFuture<Object> started = CompletableFuture.supplyAsync(() -> {
            try {
                return engine.start(spec);
            } catch (EngineException e) {
                return e;
            }
        });
        Pod pod = null;
        while (pod == null && !started.isDone()) {
            List<Pod> pods = client.pods().inNamespace(NS).list().getItems();
            pod = pods.isEmpty() ? null : pods.get(0);
            Thread.sleep(20);
        }
        assertTrue(pod != null, "start created a pod: " + started.getNow(null));
        client.pods().inNamespace(NS).withName(pod.getMetadata().getName()).editStatus(status);
        Object r = started.get(30, TimeUnit.SECONDS);
        assertTrue(r instanceof EngineException, String.valueOf(r));
        return (EngineException) r;
    }

    private static Pod waiting(Pod p, String reason, String message) {
        p.setStatus(new PodStatusBuilder().withPhase("Pending").withContainerStatuses(new ContainerStatusBuilder()
                .withName("worker").withNewState().withNewWaiting().withReason(reason).withMessage(message).endWaiting()
                .endState().build()).build());
        return p;
    }

    @Test
    void thePodCarriesLabelsResourcesGpuEnvAndVolumesAndAnImageItCannotPullIsAClearError() throws Exception {
        Map<String, String> labels = Map.of("dev.ferry.kernel", "k1", "dev.ferry.session", "my session", "dev.ferry.cell", "3");
        PlacementSpec spec = spec(labels, 1.5, 2048L, GpuSpec.parse("H100:2,A100-80GB:2"),
                List.of(new PlacementSpec.Mount(Path.of("/home/u/.local/share/ferry/volumes/ds"), "/data", false)));
        // what the API server stored, seen from inside start (before the status below ends it)
        CompletableFuture<Pod> seen = new CompletableFuture<>();
        CompletableFuture<io.fabric8.kubernetes.api.model.Secret> seenSecret = new CompletableFuture<>();
        EngineException e = startAndSet(spec, p -> {
            seen.complete(client.pods().inNamespace(NS).withName(p.getMetadata().getName()).get());
            seenSecret.complete(client.secrets().inNamespace(NS).withName(p.getMetadata().getName() + "-env").get());
            return waiting(p, "ImagePullBackOff", "Back-off pulling image \"registry.example/ferry/image:abc\"");
        });
        Pod pod = seen.get();
        assertEquals("worker", pod.getMetadata().getLabels().get("dev.ferry"));
        assertEquals("k1", pod.getMetadata().getLabels().get("dev.ferry.kernel"));
        assertEquals("my_session", pod.getMetadata().getLabels().get("dev.ferry.session")); // a valid label value
        assertEquals("my session", pod.getMetadata().getAnnotations().get("dev.ferry/label.dev.ferry.session"));
        var spec0 = pod.getSpec();
        assertEquals("Never", spec0.getRestartPolicy());
        assertEquals(false, spec0.getAutomountServiceAccountToken());
        var c = spec0.getContainers().get(0);
        assertEquals("registry.example/ferry/image:abc", c.getImage());
        assertEquals(List.of("sleep", "infinity"), c.getCommand());
        assertEquals("1500m", c.getResources().getRequests().get("cpu").toString());
        assertEquals("1500m", c.getResources().getLimits().get("cpu").toString());
        assertEquals("2048Mi", c.getResources().getRequests().get("memory").toString());
        assertEquals("2048Mi", c.getResources().getLimits().get("memory").toString());
        assertEquals("2", c.getResources().getLimits().get("nvidia.com/gpu").toString());
        // the environment (env= and secrets=) is in a Secret the pod owns, never in the pod's spec
        assertTrue(c.getEnv() == null || c.getEnv().isEmpty(), String.valueOf(c.getEnv()));
        String secretName = c.getEnvFrom().get(0).getSecretRef().getName();
        assertEquals(pod.getMetadata().getName() + "-env", secretName);
        var secret = seenSecret.get();
        // a real API server turns stringData into data; the mock keeps what it was sent
        assertEquals("yes", secret.getData() != null && secret.getData().containsKey("FERRY_CONTRACT")
                ? new String(java.util.Base64.getDecoder().decode(secret.getData().get("FERRY_CONTRACT")))
                : secret.getStringData().get("FERRY_CONTRACT"));
        assertEquals("Pod", secret.getMetadata().getOwnerReferences().get(0).getKind());
        assertEquals(pod.getMetadata().getName(), secret.getMetadata().getOwnerReferences().get(0).getName());
        var term = spec0.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms().get(0).getMatchExpressions().get(0);
        assertEquals(KubeSettings.DEFAULT_GPU_LABEL, term.getKey());
        assertEquals(List.of("H100", "A100-80GB"), term.getValues());
        assertTrue(spec0.getVolumes().stream().anyMatch(v -> v.getPersistentVolumeClaim() != null
                && v.getPersistentVolumeClaim().getClaimName().equals("ferry-volume-ds")), spec0.getVolumes().toString());
        assertTrue(c.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/data")));
        // the pull failure names the image and the fix, and the pod is gone
        assertTrue(e.getMessage().contains("cannot pull the image registry.example/ferry/image:abc")
                && e.getMessage().contains("ImagePullBackOff") && e.getMessage().contains("FERRY_KUBE_REGISTRY"), e.getMessage());
        assertTrue(client.pods().inNamespace(NS).list().getItems().isEmpty(), "the pod that could not start was deleted");
        assertTrue(client.secrets().inNamespace(NS).list().getItems().isEmpty(), "and its environment's Secret");
    }

    @Test
    void aPodNoNodeCanTakeNamesTheResource() throws Exception {
        EngineException e = startAndSet(spec(Map.of(), null, 65536L, GpuSpec.parse("T4"), List.of()), p -> {
            p.setStatus(new PodStatusBuilder().withPhase("Pending").withConditions(new PodConditionBuilder()
                    .withType("PodScheduled").withStatus("False").withReason("Unschedulable")
                    .withMessage("0/3 nodes are available: 3 Insufficient nvidia.com/gpu, 2 Insufficient memory.").build()).build());
            return p;
        });
        assertTrue(e.getMessage().startsWith("no node of the cluster has the nvidia.com/gpu and memory"), e.getMessage());
        assertTrue(e.getMessage().contains("memory=65536Mi") && e.getMessage().contains("another gpu="), e.getMessage());
        assertTrue(client.pods().inNamespace(NS).list().getItems().isEmpty());
    }

    @Test
    void aRunningPodWhoseExecFailsIsDeletedAndSaysWhy() throws Exception {
        EngineException e = startAndSet(spec(Map.of(), null, null, null, List.of()), p -> {
            p.setStatus(new PodStatusBuilder().withPhase("Running").withContainerStatuses(new ContainerStatusBuilder()
                    .withName("worker").withNewState().withNewRunning().endRunning().endState().build()).build());
            return p;
        });
        // the mock server runs no containers: the exec of the worker is refused
        assertTrue(e.getMessage().contains("starting the worker in pod ferry-"), e.getMessage());
        assertTrue(client.pods().inNamespace(NS).list().getItems().isEmpty());
    }

    @Test
    void podsAreListedAndRemovedByLabelAndTheJanitorRemovesOnlyOrphans() throws Exception {
        for (String pid : List.of("dead", "alive")) {
            Pod p = KubePods.pod("ferry-" + pid, spec(Map.of("dev.ferry.kernel.pid", pid, "dev.ferry.test", "run1"),
                    null, null, null, List.of()), engine.settings());
            client.pods().inNamespace(NS).resource(p).create();
        }
        List<Engine.PlacementInfo> listed = engine.list(Map.of("dev.ferry.test", "run1"));
        assertEquals(2, listed.size(), listed.toString());
        assertEquals("registry.example/ferry/image:abc", listed.get(0).image());
        assertTrue(engine.list(Map.of("dev.ferry.test", "other")).isEmpty());
        assertEquals(1, engine.removeOrphans());
        assertEquals(List.of("ferry-alive"), engine.list(Map.of()).stream().map(Engine.PlacementInfo::id).toList());
        engine.remove("ferry-alive");
        engine.remove("ferry-never-was"); // unknown ids are ignored
        assertTrue(engine.list(Map.of()).isEmpty());
    }

    @Test
    void prepareNamesTheImageThePodsPull() throws Exception {
        KubernetesEngine withRegistry = new KubernetesEngine(settings(Map.of("FERRY_KUBE_REGISTRY", "reg.example:5000/ferry")),
                l -> false, client);
        List<String> log = new java.util.ArrayList<>();
        Image recipe = Image.debianSlim(17, false).runCommands("echo hi");
        String ref = withRegistry.prepare(recipe, log::add);
        assertEquals("reg.example:5000/ferry/" + recipe.tag().substring("ferry/".length()), ref);
        assertTrue(log.get(0).contains(recipe.tag() + " pushed to reg.example:5000/ferry"), log.toString());
        assertEquals("reg.example:5000/ferry/base:bookworm-jdk17", withRegistry.prepare(Image.debianSlim(17, false), l -> { }));
        assertEquals("eclipse-temurin:17-jdk", engine.prepare(Image.fromRegistry("eclipse-temurin:17-jdk"), l -> { }));
    }

    @Test
    void aMissingNamespaceNoKubeconfigAndNoApiServerAreClearErrors(@TempDir Path dir) throws Exception {
        assertNull(engine.problem());
        var missing = new KubernetesEngine(settings(Map.of("FERRY_KUBE_NAMESPACE", "no-such-ns")), l -> false, client);
        assertTrue(missing.problem().getMessage().contains("namespace no-such-ns does not exist")
                && missing.problem().getMessage().contains("kubectl create namespace no-such-ns"), missing.problem().getMessage());
        var none = new KubernetesEngine(KubeSettings.of(Map.of("KUBECONFIG", dir.resolve("nope").toString()), "/x"), l -> false);
        assertTrue(none.problem().getMessage().startsWith("no kubeconfig at " + dir.resolve("nope")), none.problem().getMessage());
        assertFalse(none.available());
        Path kc = dir.resolve("config");
        Files.writeString(kc, """
                apiVersion: v1
                kind: Config
                clusters: [{name: c, cluster: {server: "http://127.0.0.1:9"}}]
                users: [{name: u, user: {token: t}}]
                contexts: [{name: far, context: {cluster: c, user: u, namespace: ns1}}]
                current-context: far
                """);
        var far = new KubernetesEngine(KubeSettings.of(Map.of("KUBECONFIG", kc.toString(), "FERRY_KUBE_CONTEXT", "far"), "/x"), l -> false);
        try {
            EngineException e = far.problem();
            assertTrue(e.getMessage().startsWith("no Kubernetes API server answers at http://127.0.0.1:9"), e.getMessage());
            assertEquals("ns1", far.namespace()); // the context's namespace
        } finally {
            far.close();
        }
    }

    @Test
    void aDockerNetworkIsRefusedAndSettingsReadTheirVariables() {
        EngineException e = assertThrows(EngineException.class, () -> KubePods.pod("p", new PlacementSpec("i",
                new WorkerLaunch("java", List.of(), List.of(), Map.of(), null), Map.of(), null, null, "mynet", null, List.of()),
                engine.settings()));
        assertTrue(e.getMessage().contains("network=mynet names a Docker network"), e.getMessage());
        KubeSettings s = KubeSettings.of(Map.of("FERRY_KUBE_GPU_LABEL", "nvidia.com/gpu.product",
                "FERRY_KUBE_GPU_VALUES", "H100=NVIDIA-H100-80GB-HBM3"), "/home/u");
        assertEquals(Path.of("/home/u/.kube/config"), s.kubeconfig());
        assertEquals(List.of("NVIDIA-H100-80GB-HBM3", "T4").stream().toList(),
                List.copyOf(KubePods.gpuValues(GpuSpec.parse("H100,T4"), s)));
        assertTrue(KubePods.gpuValues(GpuSpec.parse("any:2"), s).isEmpty());
        assertEquals("2", KubePods.cpu(2.0));
        assertEquals(63, KubePods.labelValue("x".repeat(80)).length());
        // a bad variable is the engine's problem, as a cell shows it, not an exception at the kernel's start
        var bad = new KubernetesEngine(settings(Map.of("FERRY_KUBE_GPU_VALUES", "H100")), l -> false, client);
        assertTrue(bad.problem().getMessage().startsWith("FERRY_KUBE_GPU_VALUES: 'H100' is not NAME=VALUE"),
                bad.problem().getMessage());
        assertTrue(KubeSettings.of(Map.of("FERRY_KUBE_START_TIMEOUT", "soon"), "/h").invalid().contains("whole seconds"));
    }
}
