package dev.ferry.kernel;

import dev.ferry.kernel.wire.Signer;
import dev.ferry.kernel.wire.Wire;
import dev.ferry.remote.engine.WorkerLaunch;
import dev.ferry.remote.control.RemoteControl;
import dev.ferry.remote.engine.Engine;
import dev.ferry.remote.engine.ProcessEngine;
import dev.ferry.remote.engine.docker.DockerEngine;
import dev.ferry.remote.engine.kubernetes.KubeSettings;
import dev.ferry.remote.engine.kubernetes.KubernetesEngine;
import dev.ferry.spi.FerryEnv;
import io.github.spencerpark.jupyter.kernel.KernelConnectionProperties;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The composition root: reads the configuration, wires the parts, runs the loops. */
public final class FerryKernel {
    private FerryKernel() {}

    public static void main(String[] args) throws Exception {
        Config config;
        KernelConnectionProperties props;
        try {
            FerryEnv env = FerryEnv.ofProcess(); // the kernel's one read of its environment and properties
            FerryEnv.install(env);
            config = Config.from(args, env);
            props = KernelConnectionProperties.parse(Files.readString(config.connectionFile()));
        } catch (Exception e) {
            System.err.println("ferry: " + e.getMessage());
            System.exit(2);
            return;
        }
        Kernel[] kernel = new Kernel[1];
        History history = new History(config.dataDir());
        java.util.function.Consumer<dev.ferry.remote.WorkerEvent> orphans = e -> {
            if (kernel[0] != null) { // output before the first cell has no cell to go to
                kernel[0].orphan(e);
            }
        };
        KernelCalls calls = new KernelCalls(history);
        WorkerLaunch launch = workerLaunch(config);
        WorkerSupervisor workers = new WorkerSupervisor(launch, orphans, calls,
                WorkerSupervisor.SpareSettings.of(config, launch, config.env().env()));
        workers.start(); // the worker warms up while the sockets come up
        RemoteControl remote = remoteControl(config, orphans, calls);
        calls.remote(remote);
        java.util.function.Supplier<dev.ferry.storage.Store> store = new java.util.function.Supplier<>() {
            private dev.ferry.storage.Store opened;

            @Override
            public synchronized dev.ferry.storage.Store get() { // opened when a container first uses Dict or Queue
                if (opened == null) {
                    opened = dev.ferry.storage.SqliteStore.open(config.dataDir());
                }
                return opened;
            }
        };
        calls.store(new dev.ferry.remote.control.StoreCalls(store));
        calls.functions(new FunctionCalls(config.dataDir(), config.env().env(), config.workerClassPath()));
        daemon("ferry-cleanup", () -> { // containers of kernels that died
            // later, not while the worker warms up: loading the Docker client costs CPU a first cell waits for
            try {
                Thread.sleep(CLEANUP_DELAY_MS);
            } catch (InterruptedException e) {
                return;
            }
            int n = remote.removeLeftovers();
            if (n > 0) {
                System.err.println("[ferry] removed " + n + " container(s) left by kernels that are gone");
            }
        });
        Channels channels = new Channels(props, new Wire(new Signer(props.getKey(), props.getSignatureScheme())));
        Runnable exit = () -> {
            workers.leaveSpare(); // for the next kernel (a restart, the next papermill run), if none waits
            Thread killer = new Thread(workers::close);
            killer.start();
            Thread remover = new Thread(remote::close);
            remover.start();
            history.close();
            channels.close(); // flushes pending replies (linger 1 s at most)
            try {
                killer.join(300);
                remover.join(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(0);
        };
        kernel[0] = new Kernel(channels, workers, history, exit);
        kernel[0].onInterrupt(remote::interrupt);
        calls.comms(kernel[0].comms());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            workers.close();
            remote.close();
        }));
        onSigint(kernel[0]::interrupt);
        if (config.parentPid() > 1) {
            ProcessHandle.of(config.parentPid()).ifPresentOrElse(
                    p -> p.onExit().thenRun(exit), exit);
        }
        daemon("ferry-heartbeat", channels::runHeartbeat);
        daemon("ferry-control", kernel[0]::runControl);
        kernel[0].runShell();
    }

    /** The control plane of %%remote: engines (process, docker), workers like the kernel's own. */
    static RemoteControl remoteControl(Config config, java.util.function.Consumer<dev.ferry.remote.WorkerEvent> orphans,
                                       KernelCalls calls) {
        List<String> opts = baseWorkerOptions();
        for (String o : config.workerJvmOptions()) { // the kernelspec's and the user's, but not this host's CDS file
            if (!o.startsWith("-XX:SharedArchiveFile") && !o.startsWith("-XX:AOTCache")) {
                opts.add(o);
            }
        }
        WorkerLaunch launch = WorkerLaunch.of(JAVA, opts, config.workerClassPathOrKernels());
        DockerEngine.Settings docker = DockerEngine.Settings.of(config.dockerHost(), config.dockerTlsVerify(),
                config.dockerCertPath());
        Map<String, String> kernel = dev.ferry.remote.control.Janitor.labelsOfThisKernel(java.util.UUID.randomUUID().toString());
        String host = kernel.get(dev.ferry.remote.control.Janitor.HOST_LABEL);
        Map<String, java.util.function.Supplier<Engine>> engines = Map.of(
                "process", () -> new ProcessEngine(JAVA),
                "docker", () -> new DockerEngine(docker),
                "kubernetes", () -> new KubernetesEngine(KubeSettings.of(config.kubernetes(), config.env().userHome()),
                        l -> host.equals(l.get(dev.ferry.remote.control.Janitor.HOST_LABEL)) && dev.ferry.remote.control.Janitor.kernelGone(l)));
        return new RemoteControl(engines, config.engine(), launch, Runtime.version().feature(), config.dataDir(),
                kernel, orphans, calls);
    }

    static WorkerLaunch workerLaunch(Config config) {
        List<String> opts = baseWorkerOptions();
        opts.add("-D" + dev.ferry.remote.worker.WorkerMain.DATA_DIR_PROPERTY + "=" + config.dataDir());
        opts.addAll(WorkerLaunch.defaultHeap(config.workerJvmOptions(), physicalMemory()));
        opts.addAll(config.workerJvmOptions());
        return WorkerLaunch.of(JAVA, withAotCache(opts), config.workerClassPathOrKernels());
    }

    /**
     * The JVM refuses {@code -XX:AOTCache} (install.sh's archive on JDK 25+) beside any {@code -Xshare}
     * option: the cache replaces {@code -Xshare:auto}, and an explicit {@code -Xshare} of the user's
     * (such as {@code -Xshare:off} in FERRY_JVM_OPTS) wins over the cache.
     */
    static List<String> withAotCache(List<String> opts) {
        if (opts.stream().noneMatch(o -> o.startsWith("-XX:AOTCache="))) {
            return opts;
        }
        List<String> out = new ArrayList<>(opts);
        int auto = out.indexOf("-Xshare:auto");
        if (auto >= 0) {
            out.remove(auto); // the base option; a user's own -Xshare comes later
        }
        if (out.stream().anyMatch(o -> o.startsWith("-Xshare:"))) {
            out.removeIf(o -> o.startsWith("-XX:AOTCache="));
        }
        return out;
    }

    /** This machine's memory in bytes (its container's limit, where one applies); 0 when unknown. */
    private static long physicalMemory() {
        try {
            return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean()).getTotalMemorySize();
        } catch (RuntimeException | LinkageError e) {
            return 0;
        }
    }

    /** How long after start the kernel looks for containers of dead kernels. */
    static final long CLEANUP_DELAY_MS = 5000;

    /** The java executable of this kernel: its workers (local and process-engine) run the same one. */
    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");

    /** Options every worker JVM gets, wherever it runs (a mutable copy for the caller to extend). */
    static List<String> baseWorkerOptions() {
        List<String> opts = new ArrayList<>(List.of("-XX:+ExitOnOutOfMemoryError", "-Xshare:auto",
                "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "-Djava.awt.headless=true")); // images and charts render without a display
        opts.addAll(arrowOptions());
        return opts;
    }

    /**
     * Arrow's Netty allocator on JDK 24+ (where sun.misc.Unsafe's memory access is restricted) fails to
     * initialise without these; the workers run the kernel's JDK major. The worker's own class path
     * relocates Netty under dev.ferry.shaded (worker/pom.xml), and its property names with it.
     */
    static List<String> arrowOptions() {
        return Runtime.version().feature() >= 24
                ? List.of("--sun-misc-unsafe-memory-access=allow", "-Dio.netty.noUnsafe=false",
                        "-Ddev.ferry.shaded.netty.noUnsafe=false")
                : List.of();
    }

    private static void onSigint(Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), s -> action.run());
        } catch (IllegalArgumentException e) {
            // no SIGINT here; interrupt_request still works
        }
    }

    private static void daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }
}
