package dev.ferry.kernel;

import dev.ferry.kernel.wire.Signer;
import dev.ferry.kernel.wire.Wire;
import dev.ferry.remote.WorkerLaunch;
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
            config = Config.from(args, System.getenv());
            props = KernelConnectionProperties.parse(Files.readString(config.connectionFile()));
        } catch (Exception e) {
            System.err.println("ferry: " + e.getMessage());
            System.exit(2);
            return;
        }
        Kernel[] kernel = new Kernel[1];
        History history = new History(config.dataDir());
        WorkerSupervisor workers = new WorkerSupervisor(workerLaunch(config), e -> {
            if (kernel[0] != null) { // output before the first cell has no cell to go to
                kernel[0].orphan(e);
            }
        }, new KernelCalls(history));
        workers.start(); // the worker warms up while the sockets come up
        Channels channels = new Channels(props, new Wire(new Signer(props.getKey(), props.getSignatureScheme())));
        Runnable exit = () -> {
            Thread killer = new Thread(workers::close);
            killer.start();
            history.close();
            channels.close(); // flushes pending replies (linger 1 s at most)
            try {
                killer.join(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(0);
        };
        kernel[0] = new Kernel(channels, workers, history, exit);
        Runtime.getRuntime().addShutdownHook(new Thread(workers::close));
        onSigint(kernel[0]::interrupt);
        if (config.parentPid() > 1) {
            ProcessHandle.of(config.parentPid()).ifPresentOrElse(
                    p -> p.onExit().thenRun(exit), exit);
        }
        daemon("ferry-heartbeat", channels::runHeartbeat);
        daemon("ferry-control", kernel[0]::runControl);
        kernel[0].runShell();
    }

    static WorkerLaunch workerLaunch(Config config) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> opts = new ArrayList<>(List.of("-XX:+ExitOnOutOfMemoryError", "-Xshare:auto",
                "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "-Djava.awt.headless=true")); // images and charts render without a display
        opts.add("-D" + dev.ferry.remote.worker.WorkerMain.DATA_DIR_PROPERTY + "=" + config.dataDir());
        opts.addAll(config.workerJvmOptions());
        return new WorkerLaunch(java, opts, System.getProperty("java.class.path"), Map.of(), null);
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
