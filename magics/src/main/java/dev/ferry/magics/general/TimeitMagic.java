package dev.ferry.magics.general;

import dev.ferry.magics.ArgSpec;
import dev.ferry.magics.CellFailedException;
import dev.ferry.magics.JavaSession;
import dev.ferry.magics.Magic;
import dev.ferry.magics.MagicContext;
import dev.ferry.magics.MagicException;
import dev.ferry.magics.MagicSpec;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongUnaryOperator;

/**
 * {@code %timeit} / {@code %%timeit}: IPython's timing loop. The code is compiled once, by JShell, into a
 * {@link LongUnaryOperator} that runs it {@code n} times in a plain Java loop and returns the elapsed
 * nanoseconds; the magic then calls that object directly, so the timings measure the code (JIT-compiled
 * like any hot loop), not JShell's compiler.
 */
final class TimeitMagic implements Magic {
    static final MagicSpec SPEC = MagicSpec.builder("timeit", MagicSpec.Kind.BOTH)
        .summary("Time a statement or the cell over many loops (mean ± std. dev.)")
        .arg(ArgSpec.keyword("number", ArgSpec.Type.INT).shortName('n')
            .help("loops per run; by default chosen so that a run takes at least 0.2 s").range(1, 1_000_000_000))
        .arg(ArgSpec.keyword("repeat", ArgSpec.Type.INT).shortName('r').help("runs").defaultValue("7").range(1, 1000))
        .arg(ArgSpec.flag("quiet").shortName('q').help("print nothing (with -o, just return the result)"))
        .arg(ArgSpec.flag("output").shortName('o').help("return a TimeitResult as the cell's value"))
        .rest("statement", "Java code to time (line form); in the cell form, setup code run once, untimed")
        .details("""
            Like IPython: without -n the loop count grows 1, 10, 100, ... until one run takes at least
            0.2 s; then -r runs (default 7) of that many loops are timed and the mean and standard
            deviation per loop are printed:
              12.3 µs ± 150 ns per loop (mean ± std. dev. of 7 runs, 10,000 loops each)
            The code is compiled once into a Java loop (a lambda defined in the session), so JShell's
            compiler is not timed. A single expression's value is kept so the JIT cannot drop it.
            Examples:
              %timeit Math.sqrt(2.0)
              %timeit -n 1000 -r 5 list.contains(42)
              %%timeit int[] a = new int[1000];
              java.util.Arrays.sort(a);""")
        .build();

    /** Runs of one loop count shorter than this make the calibration try ten times more loops. */
    static final double MIN_RUN_SECONDS = 0.2;
    private static final AtomicLong IDS = new AtomicLong();

    @Override
    public MagicSpec spec() {
        return SPEC;
    }

    @Override
    public Object execute(MagicContext ctx) {
        String magic = ctx.isCell() ? "%%timeit" : "%timeit";
        String code = ctx.isCell() ? ctx.body() : ctx.args().rest();
        if (code == null || code.isBlank()) {
            throw new MagicException(magic + " has nothing to time: " + (ctx.isCell()
                ? "write the Java code below the %%timeit line" : "write a statement after it, e.g. %timeit Math.sqrt(2)"));
        }
        JavaSession session = Common.session(ctx, magic);
        if (ctx.isCell() && !ctx.args().rest().isBlank()) {
            session.run(ctx.args().rest()); // setup, like IPython's first line of %%timeit
        }
        LongUnaryOperator loop = compile(session, code.strip());
        int repeat = ctx.args().getInt("repeat");
        long number = ctx.args().has("number") ? ctx.args().getInt("number") : chooseNumber(loop);
        double[] perLoop = new double[repeat];
        for (int i = 0; i < repeat; i++) {
            if (Thread.currentThread().isInterrupted()) {
                throw new MagicException(magic + " was interrupted");
            }
            perLoop[i] = loop.applyAsLong(number) / 1e9 / number;
        }
        TimeitResult result = new TimeitResult(number, repeat, perLoop);
        if (!ctx.args().getBool("quiet")) {
            String warning = result.warning();
            if (warning != null) {
                ctx.stdout(warning + "\n");
            }
            ctx.stdout(result + "\n");
        }
        return ctx.args().getBool("output") ? result : null;
    }

    /**
     * Defines the timing loop in the session and returns it. A text without a final {@code ;} or
     * {@code }} is tried as an expression first (its value is kept), then as a statement.
     */
    static LongUnaryOperator compile(JavaSession session, String code) {
        String name = "$ferryTimeit" + IDS.incrementAndGet();
        boolean statementish = code.endsWith(";") || code.endsWith("}");
        String asStatement = statementish ? code : code + ";";
        String asExpression = "$sink = (" + code + ");";
        CellFailedException first = null;
        for (String body : statementish ? new String[] {asStatement} : new String[] {asExpression, asStatement}) {
            try {
                session.run(loopSource(name, body));
                Object fn = session.run(name);
                session.run(name + " = null;"); // the magic holds it; the session need not
                if (fn instanceof LongUnaryOperator op) {
                    return op;
                }
                throw new IllegalStateException("the timing loop did not compile to a LongUnaryOperator: " + fn);
            } catch (CellFailedException e) {
                if (first == null || body == asStatement) {
                    first = e;
                }
            }
        }
        throw first;
    }

    static String loopSource(String name, String body) {
        return "java.util.function.LongUnaryOperator " + name + " = $n -> {\n"
            + "    Object $sink = null;\n"
            + "    long $t0 = System.nanoTime();\n"
            + "    for (long $i = 0; $i < $n; $i++) {\n"
            + body + "\n"
            + "    }\n"
            + "    long $t = System.nanoTime() - $t0;\n"
            + "    " + TimeitResult.class.getName() + ".consume($sink);\n"
            + "    return $t;\n"
            + "};";
    }

    /** IPython's choice: 1, 10, 100, ... loops until one run takes at least 0.2 s (at most 10^9). */
    static long chooseNumber(LongUnaryOperator nanosForLoops) {
        long number = 1;
        for (int index = 0; index < 10; index++) {
            number = pow10(index);
            if (nanosForLoops.applyAsLong(number) / 1e9 >= MIN_RUN_SECONDS) {
                break;
            }
        }
        return number;
    }

    private static long pow10(int e) {
        long v = 1;
        for (int i = 0; i < e; i++) {
            v *= 10;
        }
        return v;
    }
}
