package dev.ferry.train;

/** Picks the backend to train on. */
public final class Backends {

    private Backends() {}

    /**
     * The GPU when one opens, else the multi-threaded CPU backend; {@link #reason} says which and why in one
     * line. JCuda missing from the class path counts as "no GPU" too.
     */
    public static Backend best() {
        try {
            CudaBackend b = CudaBackend.open();
            reason = "train: using " + b.name();
            return b;
        } catch (CudaBackend.GpuUnavailable e) {
            return cpu(e.getMessage());
        } catch (LinkageError e) {
            return cpu("JCuda is not on the class path (" + e + ")");
        }
    }

    private static volatile String reason = "";

    private static Backend cpu(String why) {
        Backend cpu = new CpuBackend();
        reason = "train: " + why + "; using the " + cpu.name() + " backend";
        return cpu;
    }

    /** The line {@link #best()} decided on. */
    public static String reason() {
        return reason;
    }
}
