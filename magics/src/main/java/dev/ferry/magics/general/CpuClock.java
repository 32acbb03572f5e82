package dev.ferry.magics.general;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** Wall and process CPU time for {@code %time}; a fake in the tests. */
interface CpuClock {
    long wallNanos();

    /** CPU time of the whole process (all threads, user + system), like IPython's getrusage(RUSAGE_SELF). */
    long cpuNanos();

    /** The system part of {@link #cpuNanos()} (0 where unknown). */
    long sysNanos();

    CpuClock SYSTEM = new CpuClock() {
        private final Path stat = Path.of("/proc/self/stat");

        @Override
        public long wallNanos() {
            return System.nanoTime();
        }

        @Override
        public long cpuNanos() {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                long t = os.getProcessCpuTime();
                if (t >= 0) {
                    return t;
                }
            }
            var threads = ManagementFactory.getThreadMXBean();
            return threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : 0;
        }

        @Override
        public long sysNanos() {
            try { // field 15 (stime) of /proc/self/stat, in clock ticks (100 per second on Linux)
                String s = Files.readString(stat);
                String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
                return Long.parseLong(f[12]) * 10_000_000L;
            } catch (Exception e) {
                return 0;
            }
        }
    };
}
