package dev.ferry.magics.general;

import dev.ferry.magics.JavaSession;
import dev.ferry.magics.Magic;
import dev.ferry.magics.MagicContext;
import dev.ferry.magics.MagicException;
import dev.ferry.magics.MagicSpec;

/** {@code %time STATEMENT} / {@code %%time}: runs the code once, then prints CPU and wall time like IPython. */
final class TimeMagic implements Magic {
    static final MagicSpec SPEC = MagicSpec.builder("time", MagicSpec.Kind.BOTH)
        .summary("Time one run of a statement or the cell (CPU and wall time)")
        .rest("statement", "Java code to run and time (line form)")
        .details("""
            Runs the code once in the session and prints, like IPython:
              CPU times: user 1.2 ms, sys: 30 µs, total: 1.23 ms
              Wall time: 1.25 ms
            CPU time is the whole worker process's (all threads, as IPython's getrusage), so JIT and GC
            threads count too. The value of a final expression is the cell's result.
            Examples:
              %time java.util.stream.IntStream.range(0, 1_000_000).sum()
              %%time
              long s = 0; for (int i = 0; i < 10_000_000; i++) s += i;
              s""")
        .build();

    private final CpuClock clock;

    TimeMagic() {
        this(CpuClock.SYSTEM);
    }

    TimeMagic(CpuClock clock) {
        this.clock = clock;
    }

    @Override
    public MagicSpec spec() {
        return SPEC;
    }

    @Override
    public Object execute(MagicContext ctx) {
        String code = ctx.isCell() ? ctx.body() : ctx.args().rest();
        if (code == null || code.isBlank()) {
            throw new MagicException(ctx.isCell()
                ? "%%time has nothing to time: write the Java code below the %%time line"
                : "%time has nothing to time: write a statement after it, e.g. %time Math.sqrt(2)");
        }
        JavaSession session = Common.session(ctx, ctx.isCell() ? "%%time" : "%time");
        if (ctx.isCell() && !ctx.args().rest().isBlank()) {
            throw new MagicException("%%time takes no arguments on its line (got '" + ctx.args().rest()
                + "'); put the code below the %%time line");
        }
        long cpu0 = clock.cpuNanos();
        long sys0 = clock.sysNanos();
        long wall0 = clock.wallNanos();
        Object value = session.run(code);
        long wall = clock.wallNanos() - wall0;
        long cpu = Math.max(0, clock.cpuNanos() - cpu0);
        long sys = Math.min(cpu, Math.max(0, clock.sysNanos() - sys0));
        ctx.stdout(report(cpu - sys, sys, wall));
        return value;
    }

    /** IPython's two lines. */
    static String report(long userNanos, long sysNanos, long wallNanos) {
        return "CPU times: user " + Common.formatTime(userNanos / 1e9) + ", sys: " + Common.formatTime(sysNanos / 1e9)
            + ", total: " + Common.formatTime((userNanos + sysNanos) / 1e9) + "\n"
            + "Wall time: " + Common.formatTime(wallNanos / 1e9) + "\n";
    }
}
