package dev.ferry.cli;

import dev.ferry.client.FerryClient;
import dev.ferry.proto.v1.LogChunk;
import dev.ferry.proto.v1.LogsReply;
import dev.ferry.proto.v1.LogsRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;

/** {@code ferry logs fc-...}: what a call printed (stdout to stdout, stderr to stderr); {@code -f} follows a running one. */
@Command(name = "logs", description = "Print what a function call printed (its stdout and stderr); -f follows it until it ends.")
final class LogsCommand extends CallCommand.Base {
    @Parameters(paramLabel = "CALL_ID", description = "fc-...")
    String id;
    @Option(names = {"-f", "--follow"}, description = "keep printing until the call ends")
    boolean follow;
    @Option(names = "--attempts", description = "prefix each line with the attempt that printed it")
    boolean attempts;

    @Override
    int run(FerryClient c) {
        PrintWriter out = out();
        PrintWriter err = spec.commandLine().getErr();
        int from = 0;
        while (true) {
            LogsReply r = c.unary("Functions/Logs", LogsRequest.newBuilder().setCallId(id).setFrom(from).build(), null);
            for (LogChunk ch : r.getChunksList()) {
                PrintWriter w = ch.getStream().equals("stderr") ? err : out;
                w.print(attempts ? "[attempt " + ch.getAttempt() + "] " + ch.getText() : ch.getText());
                w.flush();
            }
            from = r.getNext();
            if (!follow || r.getFinished()) {
                return 0;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }
    }
}
