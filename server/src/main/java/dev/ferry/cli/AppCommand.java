package dev.ferry.cli;

import dev.ferry.client.FerryClient;
import dev.ferry.proto.v1.AppCallsRequest;
import dev.ferry.proto.v1.AppFunctionInfo;
import dev.ferry.proto.v1.AppInfo;
import dev.ferry.proto.v1.AppRef;
import dev.ferry.proto.v1.AppWebInfo;
import dev.ferry.proto.v1.CallInfo;
import dev.ferry.proto.v1.FunctionRef;
import dev.ferry.proto.v1.ListAppsRequest;
import dev.ferry.proto.v1.SpawnReply;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.Locale;

/** {@code ferry app list|stop|logs|run-schedule}: the server's deployed apps. */
@Command(name = "app", description = "Deployed apps: list, stop, their calls (logs), run a schedule now.",
        subcommands = {AppCommand.ListCmd.class, AppCommand.Stop.class, AppCommand.Logs.class, AppCommand.RunSchedule.class})
final class AppCommand {
    static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    static String state(AppInfo a) {
        return a.getState().name().substring("APP_STATE_".length()).toLowerCase(Locale.ROOT);
    }

    static String when(long ms) {
        return ms <= 0 ? "-" : WHEN.format(Instant.ofEpochMilli(ms));
    }

    /** The app and its functions, one line each: schedule and next run, URL. */
    static void print(PrintWriter out, AppInfo a) {
        out.println(a.getName() + "  " + a.getAppId() + "  " + state(a) + "  version " + a.getVersion() + "  deployed "
                + when(a.getDeployedAtMs()) + (a.getSource().isEmpty() ? "" : "  from " + a.getSource()));
        for (AppFunctionInfo f : a.getFunctionsList()) {
            StringBuilder b = new StringBuilder("    ").append(f.getName());
            if (!f.getSchedule().isEmpty()) {
                b.append("  ").append(f.getSchedule());
                if (f.getNextRunMs() > 0) {
                    b.append("  next run ").append(when(f.getNextRunMs()));
                }
            }
            if (!f.getUrl().isEmpty()) {
                b.append("  ").append(f.getUrl());
            }
            out.println(b);
        }
        for (AppWebInfo w : a.getWebAppsList()) {
            out.println("    %%web " + w.getName() + (w.getUrl().isEmpty() ? "" : "  " + w.getUrl()));
        }
    }

    @Command(name = "list", description = "The apps that run (with --all, stopped ones too), their functions, schedules and URLs.")
    static final class ListCmd extends CallCommand.Base {
        @Option(names = "--all", description = "stopped apps too")
        boolean all;

        @Override
        int run(FerryClient c) {
            Iterator<AppInfo> it = c.stream("Apps/List", ListAppsRequest.newBuilder().setAll(all).build());
            if (!it.hasNext()) {
                out().println("no apps" + (all ? "" : " running") + " (deploy one: ferry deploy FILE, or %deploy NAME in a notebook)");
            }
            it.forEachRemaining(a -> print(out(), a));
            return 0;
        }
    }

    @Command(name = "stop", description = "Stop an app: its schedules stop and Function.fromName no longer finds it;"
            + " calls already accepted still run.")
    static final class Stop extends CallCommand.Base {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        int run(FerryClient c) {
            AppInfo a = c.unary("Apps/Stop", AppRef.newBuilder().setName(name).build(), null);
            out().println("stopped " + a.getName() + " (" + a.getAppId() + ")");
            return 0;
        }
    }

    @Command(name = "logs", description = "An app's calls, newest first: scheduled runs, web requests and spawns, with"
            + " state, times and error.")
    static final class Logs extends CallCommand.Base {
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--function", description = "only this function's calls")
        String function = "";
        @Option(names = "--limit", description = "how many (default: 100)")
        int limit = 100;

        @Override
        int run(FerryClient c) {
            Iterator<CallInfo> it = c.stream("Apps/Calls", AppCallsRequest.newBuilder().setApp(name).setFunction(function)
                    .setLimit(limit).build());
            out().printf("%-29s  %-20s  %-10s  %-19s  %-19s  %s%n", "CALL", "FUNCTION", "STATE", "STARTED", "FINISHED", "ERROR");
            it.forEachRemaining(i -> out().printf("%-29s  %-20s  %-10s  %-19s  %-19s  %s%n", i.getCallId(), i.getFunctionName(),
                    i.getState().name().substring("CALL_STATE_".length()).toLowerCase(Locale.ROOT), when(i.getStartedAtMs()),
                    when(i.getFinishedAtMs()), i.hasError() ? i.getError().getType() + ": " + i.getError().getMessage() : ""));
            return 0;
        }
    }

    @Command(name = "run-schedule", description = "Run an app's function now, as an ordinary call (its schedule is not changed).")
    static final class RunSchedule extends CallCommand.Base {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Parameters(index = "1", paramLabel = "FUNCTION")
        String function;

        @Override
        int run(FerryClient c) {
            SpawnReply r = c.unary("Apps/RunSchedule", FunctionRef.newBuilder().setApp(name).setFunction(function).build(), null);
            out().println(r.getCallId() + " (ferry call get " + r.getCallId() + " --timeout 60s)");
            return 0;
        }
    }
}
