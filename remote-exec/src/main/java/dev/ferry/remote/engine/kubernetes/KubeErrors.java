package dev.ferry.remote.engine.kubernetes;

import dev.ferry.remote.engine.EngineException;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The one place where the API server's errors and a pod's state become messages that name the problem and the fix. */
final class KubeErrors {
    private static final Pattern INSUFFICIENT = Pattern.compile("Insufficient ([A-Za-z0-9./_-]+)");
    private static final Set<String> PULL_FAILURES = Set.of("ImagePullBackOff", "ErrImagePull", "InvalidImageName",
            "ErrImageNeverPull", "RegistryUnavailable");

    private KubeErrors() {}

    /** A failed API call while {@code doing} something. */
    static EngineException map(String doing, KubernetesClientException e, String server, String namespace) {
        int code = e.getCode();
        String status = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                : e.getMessage();
        if (noConnection(e)) {
            return unreachable(server, e);
        }
        if (code == 401) {
            return new EngineException("the Kubernetes API server at " + server + " did not accept the kubeconfig's"
                    + " credentials while " + doing + " (" + status + "): renew them (e.g. your cloud's `get-credentials`"
                    + " command) or pick another context with FERRY_KUBE_CONTEXT", e);
        }
        if (code == 403) {
            return new EngineException("the cluster refused " + doing + " in namespace " + namespace + ": " + status
                    + ". The kubeconfig's user needs the Role in docs/kubernetes.md (pods, pods/exec: create, get, list,"
                    + " delete) in that namespace", e);
        }
        if (code == 404 && status != null && status.contains("namespaces")) {
            return missingNamespace(namespace);
        }
        if (code == 422) {
            return new EngineException("the cluster refused the pod while " + doing + ": " + status, e);
        }
        return new EngineException(doing + " failed on the Kubernetes API server at " + server + " (HTTP " + code
                + "): " + status, e);
    }

    /** Whether a call failed for want of a connection (nothing listens, no route, no name, a timeout). */
    static boolean noConnection(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof java.net.UnknownHostException
                    || t instanceof java.net.NoRouteToHostException || t instanceof java.net.http.HttpTimeoutException
                    || t instanceof java.net.SocketTimeoutException || t instanceof java.nio.channels.ClosedChannelException) {
                return true;
            }
        }
        return false;
    }

    /** The exec that carries the worker's streams (or writes its class path) could not be opened. */
    static EngineException execFailed(String pod, KubernetesClientException e, String server, String namespace) {
        if (noConnection(e) || e.getCode() == 401 || e.getCode() == 403) {
            return map("opening an exec into pod " + pod, e, server, namespace);
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return new EngineException("starting the worker in pod " + pod + ": the API server at " + server
                + " did not open an exec stream into it (" + root.getMessage() + "): the kubeconfig's user needs"
                + " `create` on pods/exec (docs/kubernetes.md), and a proxy in between must pass WebSocket upgrades", e);
    }

    static EngineException unreachable(String server, Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return new EngineException("no Kubernetes API server answers at " + server + " (" + root.getClass().getSimpleName()
                + (root.getMessage() == null ? "" : ": " + root.getMessage()) + "): check the cluster is up and"
                + " reachable from this machine (`kubectl get pods` under the same KUBECONFIG and context)", e);
    }

    static EngineException missingNamespace(String namespace) {
        return new EngineException("the namespace " + namespace + " does not exist in the cluster: create it"
                + " (`kubectl create namespace " + namespace + "`, with the Role in docs/kubernetes.md) or set"
                + " FERRY_KUBE_NAMESPACE to one that does");
    }

    static EngineException noKubeconfig(java.nio.file.Path path) {
        return new EngineException("no kubeconfig at " + path + ": set KUBECONFIG to the cluster's kubeconfig"
                + " file (what `kubectl` uses), or copy it there; FERRY_KUBE_CONTEXT picks a context in it");
    }

    /**
     * Why a pod that should start cannot, from its status: an image the nodes cannot pull, no node with the
     * resources asked for, a missing volume claim, a container that ended; null while it may still start.
     */
    static EngineException stuck(Pod pod, String image, KubeSettings settings) {
        var status = pod.getStatus();
        if (status == null) {
            return null;
        }
        String name = pod.getMetadata().getName();
        if (status.getContainerStatuses() != null) {
            for (ContainerStatus cs : status.getContainerStatuses()) {
                var waiting = cs.getState() == null ? null : cs.getState().getWaiting();
                if (waiting != null && PULL_FAILURES.contains(waiting.getReason())) {
                    return pullFailed(name, image, waiting.getReason(), waiting.getMessage(), settings);
                }
                if (waiting != null && "CreateContainerConfigError".equals(waiting.getReason())) {
                    return new EngineException("pod " + name + " cannot start its container: " + waiting.getMessage());
                }
                var term = cs.getState() == null ? null : cs.getState().getTerminated();
                if (term != null) {
                    return new EngineException("the container of pod " + name + " ended before the worker started ("
                            + term.getReason() + ", exit code " + term.getExitCode() + "): the image " + image
                            + " needs `sleep` and `sh` (a Debian or Ubuntu based image has them)");
                }
            }
        }
        if (status.getConditions() != null) {
            for (PodCondition c : status.getConditions()) {
                if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())
                        && "Unschedulable".equals(c.getReason())) {
                    return unschedulable(name, c.getMessage() == null ? "" : c.getMessage(), pod);
                }
            }
        }
        if ("Failed".equals(status.getPhase()) || "Succeeded".equals(status.getPhase())) {
            return new EngineException("pod " + name + " ended (" + status.getPhase()
                    + (status.getReason() == null ? "" : ", " + status.getReason())
                    + (status.getMessage() == null ? "" : ": " + status.getMessage()) + ") before the worker started");
        }
        return null;
    }

    static EngineException pullFailed(String pod, String image, String reason, String message, KubeSettings settings) {
        String fix = settings.registry() == null
                ? "push it to a registry the cluster's nodes pull from and set FERRY_KUBE_REGISTRY to it (e.g."
                + " registry.example:5000/ferry; then the pod asks for REGISTRY/" + tail(image) + "), or load it into"
                + " the nodes (`kind load docker-image " + image + "`, `minikube image load " + image + "`)"
                : "push it there: `docker tag " + localName(image, settings) + " " + image + " && docker push " + image
                + "` (build it first on a local engine with the same Image, engine=docker), and give the nodes"
                + " pull access (an imagePullSecret on the namespace's default service account)";
        return new EngineException("the cluster cannot pull the image " + image + " for pod " + pod + " (" + reason
                + (message == null ? "" : ": " + message) + "): " + fix);
    }

    static EngineException unschedulable(String pod, String message, Pod spec) {
        Set<String> short_ = new LinkedHashSet<>();
        Matcher m = INSUFFICIENT.matcher(message);
        while (m.find()) {
            short_.add(m.group(1));
        }
        String asked = asked(spec);
        if (!short_.isEmpty()) {
            return new EngineException("no node of the cluster has the " + String.join(" and ", short_) + " pod "
                    + pod + " asks for (" + asked + "); the scheduler says: " + message + ". Ask for less"
                    + (short_.contains(KubePods.GPU_RESOURCE) ? " (another gpu= type or count)" : " (cpu=, memory=)")
                    + ", or add nodes that have it");
        }
        return new EngineException("pod " + pod + " cannot be scheduled (" + asked + "): " + message
                + (message.contains("persistentvolumeclaim") ? ". Create the claim (docs/kubernetes.md, Volumes)"
                : message.contains("node affinity") || message.contains("node selector")
                ? ". No node carries the GPU label it selects on: label the GPU nodes or set FERRY_KUBE_GPU_LABEL"
                + " and FERRY_KUBE_GPU_VALUES (docs/kubernetes.md)" : ""));
    }

    private static String asked(Pod pod) {
        var c = pod.getSpec().getContainers().get(0);
        var r = c.getResources();
        StringBuilder b = new StringBuilder();
        if (r != null && r.getLimits() != null) {
            r.getLimits().forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append('=').append(v));
        }
        return b.length() == 0 ? "no resource limits" : b.toString();
    }

    private static String tail(String image) {
        return image.startsWith("ferry/") ? image.substring("ferry/".length()) : image;
    }

    private static String localName(String clusterImage, KubeSettings settings) {
        String prefix = settings.registry().replaceAll("/+$", "") + "/";
        return clusterImage.startsWith(prefix) ? "ferry/" + clusterImage.substring(prefix.length()) : clusterImage;
    }
}
