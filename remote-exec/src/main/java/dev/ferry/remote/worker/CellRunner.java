package dev.ferry.remote.worker;

import com.google.gson.JsonObject;
import dev.ferry.magics.ArgParser;
import dev.ferry.magics.CellFailedException;
import dev.ferry.magics.KernelHistory;
import dev.ferry.magics.Magic;
import dev.ferry.magics.MagicException;
import dev.ferry.magics.MagicRegistry;
import dev.ferry.magics.MagicSyntax;
import dev.ferry.magics.ParsedArgs;
import dev.ferry.magics.ParsedCell;

import java.util.List;

/**
 * Runs one cell: Java segments in JShell, magics through the registry (contributed by modules with
 * ServiceLoader). The value of the last segment, Java expression or magic result, is the cell's result.
 */
final class CellRunner {
    private final JShellHost host;
    private final MagicRegistry magics = MagicRegistry.load(CellRunner.class.getClassLoader());
    private final WorkerJavaSession session;
    private final KernelHistory history = new WorkerKernelHistory();
    /** The thread running a magic now, so an interrupt can reach it (a %%bash waiting for its script). */
    private volatile Thread magicThread;
    /** The last cell's value (null when it had none or failed), for {@code capture}. */
    private volatile Object lastValue;

    CellRunner(JShellHost host) {
        this.host = host;
        this.session = new WorkerJavaSession(host);
    }

    MagicRegistry magics() {
        return magics;
    }

    /** Interrupts the magic that runs now, if any (JShell.stop() reaches only Java snippets). */
    void interruptMagic() {
        Thread t = magicThread;
        if (t != null) {
            t.interrupt();
        }
    }

    Object lastValue() {
        return lastValue;
    }

    JsonObject execute(String cell, int cellNumber) {
        lastValue = null;
        ParsedCell parsed;
        try {
            parsed = MagicSyntax.parse(cell);
        } catch (MagicException e) {
            return magicError(e);
        }
        session.cell(cellNumber);
        // an unknown magic or a bad argument anywhere in the cell stops it before anything runs
        java.util.Map<ParsedCell.Segment, ParsedArgs> argsOf = new java.util.IdentityHashMap<>();
        try {
            for (ParsedCell.Segment seg : parsed.segments()) {
                if (seg.isMagic() && !seg.help()) {
                    argsOf.put(seg, ArgParser.parse(magics.lookup(seg).spec(), seg.args(), seg.isCell()));
                } else if (seg.isMagic()) {
                    magics.lookup(seg);
                }
            }
        } catch (MagicException e) {
            return magicError(e);
        }
        Object value = null;
        boolean hasValue = false;
        List<ParsedCell.Segment> segments = parsed.segments();
        for (ParsedCell.Segment seg : segments) {
            if (!seg.isMagic()) {
                JShellHost.JavaOutcome o = host.runJava(seg.text(), cellNumber, seg.line());
                if (!o.ok()) {
                    return o.error();
                }
                hasValue = o.hasValue();
                value = hasValue ? o.valueOrText() : null;
                continue;
            }
            try {
                Magic magic = magics.lookup(seg);
                if (seg.help()) {
                    System.out.println(magics.help(seg.name()));
                    hasValue = false;
                    continue;
                }
                magicThread = Thread.currentThread();
                try {
                    value = magic.execute(new WorkerMagicContext(seg, argsOf.get(seg), session, magics, history));
                } finally {
                    magicThread = null;
                    Thread.interrupted(); // an interrupt meant for the magic must not reach the next cell
                }
                hasValue = value != null;
            } catch (CellFailedException e) {
                return (JsonObject) e.report();
            } catch (Exception e) {
                if (host.stopRequested()) {
                    return ErrorReport.interrupted();
                }
                if (e instanceof MagicException me) {
                    return magicError(me);
                }
                return ErrorReport.error(e.getClass().getName(), String.valueOf(e.getMessage()),
                        List.of(ErrorReport.RED + e.getClass().getName() + ErrorReport.RESET + ": " + e.getMessage()
                                + " (in %" + seg.name() + ")"));
            }
            if (host.stopRequested()) {
                return ErrorReport.interrupted();
            }
        }
        JsonObject ok = new JsonObject();
        ok.addProperty("status", "ok");
        if (hasValue && value instanceof dev.ferry.DisplayHandle) {
            hasValue = false; // display(...) / html(...) as the last expression: shown already, not again as a table
        }
        if (hasValue) {
            lastValue = value;
            ok.add("data", Renderer.bundle(value));
        }
        return ok;
    }

    private static JsonObject magicError(MagicException e) {
        return ErrorReport.simple("MagicError", e.getMessage());
    }
}
