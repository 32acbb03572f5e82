package dev.ferry.cli;

import dev.ferry.client.FerryClient;
import dev.ferry.proto.v1.CallInfo;
import dev.ferry.proto.v1.CallRef;
import dev.ferry.proto.v1.CallResult;
import dev.ferry.proto.v1.GetRequest;
import dev.ferry.proto.v1.ListCallsRequest;
import dev.ferry.server.ServerPaths;
import dev.ferry.storage.Codec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.concurrent.Callable;

/** {@code ferry call get|list|cancel}: function calls by id. */
@Command(name = "call", description = "Function calls by id (fc-...).",
        subcommands = {CallCommand.Get.class, CallCommand.ListCmd.class, CallCommand.Cancel.class})
final class CallCommand {
    /** Exit status of {@code get} while the call is still pending or running. */
    static final int PENDING = 4;

    abstract static class Base implements Callable<Integer> {
        @CommandLine.Mixin
        FerryCommand.DataDir dataDir = new FerryCommand.DataDir();
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        @Override
        public Integer call() throws IOException {
            ServerPaths p = dataDir.paths();
            if (!FerryCommand.present(p)) {
                spec.commandLine().getErr().println("ferry: " + FerryCommand.notRunning(p));
                return FerryCommand.NOT_RUNNING;
            }
            try (FerryClient c = FerryClient.connect(p, FerryCommand.env)) {
                return run(c);
            }
        }

        abstract int run(FerryClient c);
    }

    /** Prints a call's outcome; returns the exit status for it. */
    static int print(PrintWriter out, CallResult r) {
        String state = r.getState().name().substring("CALL_STATE_".length()).toLowerCase(java.util.Locale.ROOT);
        switch (r.getState()) {
            case CALL_STATE_SUCCEEDED -> {
                out.println(String.valueOf(Codec.decode(r.getValue().toByteArray())));
                return 0;
            }
            case CALL_STATE_PENDING, CALL_STATE_RUNNING -> {
                out.println(r.getCallId() + " is " + state + " (attempts so far: " + r.getAttempts() + ")");
                return PENDING;
            }
            default -> {
                out.println(r.getCallId() + " " + state + " after " + r.getAttempts() + " attempt" + (r.getAttempts() == 1 ? "" : "s")
                        + ": " + r.getError().getType() + ": " + r.getError().getMessage());
                r.getError().getStackTraceList().forEach(l -> out.println("    " + l));
                return 1;
            }
        }
    }

    @Command(name = "get", description = "Print a call's value (exit 0), its error (exit 1), or that it still runs (exit 4).")
    static final class Get extends Base {
        @Parameters(paramLabel = "CALL_ID", description = "fc-...")
        String id;
        @Option(names = "--timeout", description = "how long to wait for the call to finish, e.g. 30s, 5m (default: 0, do not wait)")
        String timeout = "0s";

        @Override
        int run(FerryClient c) {
            long ms = parseDuration(timeout).toMillis();
            CallResult r = c.unary("Functions/Get", GetRequest.newBuilder().setCallId(id).setTimeoutMs(ms).build(), null);
            return print(out(), r);
        }
    }

    @Command(name = "list", description = "List calls, newest first.")
    static final class ListCmd extends Base {
        @Option(names = "--limit", description = "how many (default: 100)")
        int limit = 100;

        @Override
        int run(FerryClient c) {
            Iterator<CallInfo> it = c.stream("Functions/List", ListCallsRequest.newBuilder().setLimit(limit).build());
            out().printf("%-29s  %-20s  %-10s  %8s  %s%n", "CALL", "FUNCTION", "STATE", "ATTEMPTS", "CREATED");
            it.forEachRemaining(i -> out().printf("%-29s  %-20s  %-10s  %8d  %s%n", i.getCallId(), i.getFunctionName(),
                    i.getState().name().substring("CALL_STATE_".length()).toLowerCase(java.util.Locale.ROOT), i.getAttempts(),
                    Instant.ofEpochMilli(i.getCreatedAtMs())));
            return 0;
        }
    }

    @Command(name = "cancel", description = "Cancel a call (a running attempt's worker is stopped).")
    static final class Cancel extends Base {
        @Parameters(paramLabel = "CALL_ID", description = "fc-...")
        String id;

        @Override
        int run(FerryClient c) {
            CallResult r = c.unary("Functions/Cancel", CallRef.newBuilder().setCallId(id).build(), null);
            String state = r.getState().name().substring("CALL_STATE_".length()).toLowerCase(java.util.Locale.ROOT);
            out().println(id + " " + state);
            return 0;
        }
    }

    /** "30s", "5m", "1h", "250ms" or a number of seconds. */
    static Duration parseDuration(String s) {
        String t = s.strip().toLowerCase(java.util.Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            long n = Long.parseLong(t.replaceAll("[smh]$", ""));
            return t.endsWith("h") ? Duration.ofHours(n) : t.endsWith("m") ? Duration.ofMinutes(n) : Duration.ofSeconds(n);
        } catch (NumberFormatException e) {
            throw new CommandLine.ParameterException(new CommandLine(new FerryCommand()),
                    "--timeout " + s + " is not a duration: write it as 30s, 5m, 1h or 250ms");
        }
    }
}
