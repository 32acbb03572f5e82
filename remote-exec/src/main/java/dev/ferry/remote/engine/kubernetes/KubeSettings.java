package dev.ferry.remote.engine.kubernetes;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the Kubernetes engine reaches its cluster and what it asks of it. Read by the kernel's {@code Config} from
 * the environment and handed down ({@link #of}).
 *
 * @param kubeconfig   the kubeconfig file (first entry of {@code KUBECONFIG}, else {@code ~/.kube/config})
 * @param context      the kubeconfig context ({@code FERRY_KUBE_CONTEXT}), or null for its current context
 * @param namespace    the namespace of the pods ({@code FERRY_KUBE_NAMESPACE}), or null for the context's (else
 *                     {@code default})
 * @param registry     the registry the cluster pulls Ferry's images from ({@code FERRY_KUBE_REGISTRY}, e.g.
 *                     {@code registry.example:5000/ferry}), or null: images are used by their local tag
 * @param gpuLabel     the node label a {@code gpu=TYPE} selects on ({@code FERRY_KUBE_GPU_LABEL}, default
 *                     {@code ferry.dev/gpu})
 * @param gpuValues    that label's value per Ferry GPU name ({@code FERRY_KUBE_GPU_VALUES=H100=NVIDIA-H100-80GB-HBM3,...});
 *                     a name not listed is used as it is ({@code H100})
 * @param startTimeoutS how long a pod may take to be scheduled, pull its image and run ({@code FERRY_KUBE_START_TIMEOUT})
 * @param invalid      what is wrong with the variables (the engine refuses to start with it), or null
 */
public record KubeSettings(Path kubeconfig, String context, String namespace, String registry, String gpuLabel,
                           Map<String, String> gpuValues, int startTimeoutS, String invalid) {
    public static final String DEFAULT_GPU_LABEL = "ferry.dev/gpu";
    public static final int DEFAULT_START_TIMEOUT_S = 300;

    public KubeSettings {
        gpuValues = Map.copyOf(gpuValues);
        gpuLabel = blank(gpuLabel) ? DEFAULT_GPU_LABEL : gpuLabel.strip();
    }

    /** From the variables named above ({@code KUBECONFIG}, {@code FERRY_KUBE_*}) and the user's home. */
    public static KubeSettings of(Map<String, String> env, String home) {
        String kc = env.get("KUBECONFIG");
        Path kubeconfig = blank(kc) ? Path.of(home, ".kube", "config")
                : Path.of(kc.split(java.io.File.pathSeparator)[0].strip());
        Map<String, String> values = new LinkedHashMap<>();
        String invalid = null;
        String gv = env.get("FERRY_KUBE_GPU_VALUES");
        if (!blank(gv)) {
            for (String pair : gv.split(",")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    invalid = "FERRY_KUBE_GPU_VALUES: '" + pair + "' is not NAME=VALUE;"
                            + " write e.g. FERRY_KUBE_GPU_VALUES=H100=NVIDIA-H100-80GB-HBM3,T4=Tesla-T4";
                    continue;
                }
                values.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
            }
        }
        int timeout = DEFAULT_START_TIMEOUT_S;
        String t = env.get("FERRY_KUBE_START_TIMEOUT");
        if (!blank(t)) {
            try {
                timeout = Integer.parseInt(t.strip());
                if (timeout < 1) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                timeout = DEFAULT_START_TIMEOUT_S;
                invalid = "FERRY_KUBE_START_TIMEOUT=" + t + ": give whole seconds, e.g. FERRY_KUBE_START_TIMEOUT=300";
            }
        }
        return new KubeSettings(kubeconfig, nullIfBlank(env.get("FERRY_KUBE_CONTEXT")),
                nullIfBlank(env.get("FERRY_KUBE_NAMESPACE")), nullIfBlank(env.get("FERRY_KUBE_REGISTRY")),
                env.get("FERRY_KUBE_GPU_LABEL"), values, timeout, invalid);
    }

    /** The names of the variables {@link #of} reads, for the kernel's Config. */
    public static final java.util.List<String> VARIABLES = java.util.List.of("KUBECONFIG", "FERRY_KUBE_CONTEXT",
            "FERRY_KUBE_NAMESPACE", "FERRY_KUBE_REGISTRY", "FERRY_KUBE_GPU_LABEL", "FERRY_KUBE_GPU_VALUES",
            "FERRY_KUBE_START_TIMEOUT");

    /** The image reference the cluster pulls for a local tag ({@code ferry/image:abc} → {@code REGISTRY/image:abc}). */
    public String clusterImage(String localTag) {
        if (registry == null) {
            return localTag;
        }
        String name = localTag.startsWith("ferry/") ? localTag.substring("ferry/".length()) : localTag;
        return registry.replaceAll("/+$", "") + "/" + name;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String nullIfBlank(String s) {
        return blank(s) ? null : s.strip();
    }
}
