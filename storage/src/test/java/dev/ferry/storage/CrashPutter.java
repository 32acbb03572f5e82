package dev.ferry.storage;

import dev.ferry.Queue;
import java.nio.file.Path;

/**
 * Run in a separate JVM by {@link CrashTest}: puts 0..n-1 into queue "crash" one by one, printing each index
 * on stdout once the put returned (acknowledged). With mode "one" it waits, puts one item and prints the
 * wall-clock millis right after the put returned.
 */
public final class CrashPutter {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String mode = args[1];
        try (SqliteStore store = SqliteStore.open(dir)) {
            Queue<Integer> q = StoreQueue.fromName(store, "crash", true);
            if (mode.equals("one")) {
                System.out.println("ready");
                System.out.flush();
                Thread.sleep(Long.parseLong(args[2]));
                q.put(7);
                System.out.println(System.currentTimeMillis());
                System.out.flush();
                return;
            }
            int n = Integer.parseInt(args[2]);
            for (int i = 0; i < n; i++) {
                q.put(i);
                System.out.println(i);
                System.out.flush();
            }
        }
    }
}
