package dev.ferry.server;

import dev.ferry.storage.FerryDirs;

import java.io.IOException;
import java.nio.file.Path;
import java.io.FileOutputStream;
import java.util.logging.LogRecord;
import java.util.logging.StreamHandler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** The server logs (java.util.logging) to server.log in its data directory, one line a record, 0600. */
final class ServerLog {
    private ServerLog() {
    }

    static void toFile(Path file) throws IOException {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s %3$s: %5$s%6$s%n");
        FerryDirs.createPrivateFile(file);
        // a StreamHandler, not a FileHandler: that one leaves a world-readable server.log.lck beside the log
        StreamHandler h = new StreamHandler(new FileOutputStream(file.toFile(), true), new SimpleFormatter()) {
            @Override
            public synchronized void publish(LogRecord r) {
                super.publish(r);
                flush();
            }
        };
        Logger root = Logger.getLogger("");
        for (var old : root.getHandlers()) {
            root.removeHandler(old);
        }
        root.addHandler(h);
        root.setLevel(Level.INFO);
        Logger.getLogger("io.grpc.netty.shaded").setLevel(Level.WARNING);
    }
}
