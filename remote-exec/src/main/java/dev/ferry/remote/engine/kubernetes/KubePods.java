package dev.ferry.remote.engine.kubernetes;

import dev.ferry.gpu.GpuSpec;
import dev.ferry.remote.engine.EngineException;
import dev.ferry.remote.engine.PlacementSpec;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A worker's pod, from its {@link PlacementSpec}: one container that waits ({@code sleep infinity}) until the engine
 * execs the worker JVM in it (the exec's stdin/stdout/stderr are the worker's streams, connected before the JVM
 * starts). Labels as the Docker engine's; {@code cpu}/{@code memory} as requests and limits; {@code gpu=} as
 * {@code nvidia.com/gpu} limits and a node selector on the GPU label; the environment from a Secret
 * ({@link #envSecret}); volumes as PersistentVolumeClaims
 * {@code ferry-volume-<name>}; {@code restartPolicy: Never}; no service account token, no service links.
 */
final class KubePods {
    static final String CONTAINER = "worker";
    static final String LABEL = "dev.ferry";
    static final String ORIGINAL_PREFIX = "dev.ferry/label.";
    static final String WORKER_DIR = "/opt/ferry/worker";
    static final String GPU_RESOURCE = "nvidia.com/gpu";

    private KubePods() {}

    static Pod pod(String name, PlacementSpec spec, KubeSettings settings) throws EngineException {
        if (!spec.network().equals("none") && !spec.network().equals("host")) {
            throw new EngineException("network=" + spec.network() + " names a Docker network; a pod has the cluster's"
                    + " network: leave network= out (or write network=host for the node's network)");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, String> annotations = new LinkedHashMap<>();
        labels.put(LABEL, "worker");
        spec.labels().forEach((k, v) -> {
            String safe = labelValue(v);
            labels.put(k, safe);
            if (!safe.equals(v)) { // a session name with spaces, a long host name: kept whole beside the label
                annotations.put(ORIGINAL_PREFIX + k, v);
            }
        });
        Map<String, Quantity> requests = new LinkedHashMap<>();
        Map<String, Quantity> limits = new LinkedHashMap<>();
        if (spec.cpus() != null) {
            requests.put("cpu", new Quantity(cpu(spec.cpus())));
            limits.put("cpu", new Quantity(cpu(spec.cpus())));
        }
        if (spec.memoryMiB() != null) {
            requests.put("memory", new Quantity(spec.memoryMiB() + "Mi"));
            limits.put("memory", new Quantity(spec.memoryMiB() + "Mi"));
        }
        if (spec.gpu() != null) {
            limits.put(GPU_RESOURCE, new Quantity(Integer.toString(spec.gpu().first().count())));
        }
        // env= and secrets= arrive as one map: all of it goes in a Kubernetes Secret (envSecret), never in the pod spec
        List<EnvFromSource> envFrom = spec.launch().env().isEmpty() ? List.of()
                : List.of(new EnvFromSourceBuilder().withNewSecretRef().withName(envSecretName(name)).endSecretRef().build());
        List<Volume> volumes = new ArrayList<>();
        List<VolumeMount> mounts = new ArrayList<>();
        volumes.add(new VolumeBuilder().withName("ferry-worker").withNewEmptyDir().endEmptyDir().build());
        mounts.add(new VolumeMountBuilder().withName("ferry-worker").withMountPath(WORKER_DIR).build());
        int n = 0;
        for (PlacementSpec.Mount m : spec.mounts()) {
            String vol = "v" + (n++);
            volumes.add(new VolumeBuilder().withName(vol).withNewPersistentVolumeClaim()
                    .withClaimName(claimName(m)).withReadOnly(m.readOnly()).endPersistentVolumeClaim().build());
            mounts.add(new VolumeMountBuilder().withName(vol).withMountPath(m.target()).withReadOnly(m.readOnly()).build());
        }
        var container = new ContainerBuilder().withName(CONTAINER).withImage(spec.image())
                .withImagePullPolicy("IfNotPresent")
                .withCommand("sleep", "infinity") // the worker is exec'd into it (KubernetesEngine.start)
                .withEnvFrom(envFrom).withVolumeMounts(mounts)
                .withNewResources().withRequests(requests).withLimits(limits).endResources()
                .build();
        var podSpec = new PodBuilder().withNewMetadata().withName(name).withLabels(labels)
                .withAnnotations(annotations).endMetadata()
                .withNewSpec().withRestartPolicy("Never").withContainers(container).withVolumes(volumes)
                .withHostname(name).withAutomountServiceAccountToken(false).withEnableServiceLinks(false)
                .withTerminationGracePeriodSeconds(0L).withHostNetwork(spec.network().equals("host") ? true : null)
                .endSpec();
        Set<String> gpuValues = gpuValues(spec.gpu(), settings);
        if (!gpuValues.isEmpty()) { // any of the fallbacks' node labels (H100:2,A100-80GB:2)
            podSpec.editSpec().withNewAffinity().withNewNodeAffinity()
                    .withNewRequiredDuringSchedulingIgnoredDuringExecution().addNewNodeSelectorTerm()
                    .withMatchExpressions(new NodeSelectorRequirementBuilder().withKey(settings.gpuLabel())
                            .withOperator("In").withValues(new ArrayList<>(gpuValues)).build())
                    .endNodeSelectorTerm().endRequiredDuringSchedulingIgnoredDuringExecution()
                    .endNodeAffinity().endAffinity().endSpec();
        }
        return podSpec.build();
    }

    /** The Secret holding a pod's environment ({@code env=}, {@code secrets=}): {@code <pod>-env}. */
    static String envSecretName(String pod) {
        return pod + "-env";
    }

    /**
     * The pod's environment as a Secret (values never appear in the pod's spec, which anyone who may list pods
     * reads), labelled like the pod; the engine makes the pod its owner once the pod exists, so it goes with it.
     */
    static Secret envSecret(String pod, Map<String, String> env, Map<String, String> podLabels) {
        Map<String, String> labels = new LinkedHashMap<>(podLabels);
        labels.put(LABEL, "worker-env");
        return new SecretBuilder().withNewMetadata().withName(envSecretName(pod)).withLabels(labels).endMetadata()
                .withType("Opaque").withStringData(new java.util.TreeMap<>(env)).build();
    }

    /** The node label values a GPU request selects, none for {@code gpu=any}. */
    static Set<String> gpuValues(GpuSpec gpu, KubeSettings settings) {
        Set<String> out = new LinkedHashSet<>();
        if (gpu == null) {
            return out;
        }
        for (GpuSpec.Choice c : gpu.choices()) {
            String n = c.type().specName();
            if (n.equals("any")) {
                return new LinkedHashSet<>(); // any GPU: no selector at all
            }
            out.add(settings.gpuValues().getOrDefault(n, n));
        }
        return out;
    }

    /** The PersistentVolumeClaim of a Volume (its folder's name): {@code ferry-volume-<name>}. */
    static String claimName(PlacementSpec.Mount m) {
        String name = m.source().getFileName() == null ? "volume" : m.source().getFileName().toString();
        String safe = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("^-+|-+$", "");
        String claim = "ferry-volume-" + (safe.isEmpty() ? "volume" : safe);
        return claim.length() > 63 ? claim.substring(0, 63).replaceAll("-+$", "") : claim;
    }

    /** Kubernetes CPU quantity: whole cores as they are, else millicores. */
    static String cpu(double cpus) {
        return cpus == Math.rint(cpus) ? Long.toString((long) cpus) : Math.round(cpus * 1000) + "m";
    }

    /** A label value Kubernetes accepts (63 characters of [A-Za-z0-9._-], alphanumeric at both ends). */
    static String labelValue(String v) {
        String s = v.replaceAll("[^A-Za-z0-9._-]", "_");
        if (s.length() > 63) {
            s = s.substring(0, 63);
        }
        s = s.replaceAll("^[^A-Za-z0-9]+|[^A-Za-z0-9]+$", "");
        return s;
    }

    /** The labels of a pod as they were given: the annotation's whole value where the label had to be shortened. */
    static Map<String, String> originalLabels(Pod pod) {
        Map<String, String> out = new LinkedHashMap<>();
        if (pod.getMetadata().getLabels() != null) {
            out.putAll(pod.getMetadata().getLabels());
        }
        if (pod.getMetadata().getAnnotations() != null) {
            pod.getMetadata().getAnnotations().forEach((k, v) -> {
                if (k.startsWith(ORIGINAL_PREFIX)) {
                    out.put(k.substring(ORIGINAL_PREFIX.length()), v);
                }
            });
        }
        return out;
    }
}
