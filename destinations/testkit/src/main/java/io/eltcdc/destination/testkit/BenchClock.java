package io.eltcdc.destination.testkit;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Wall time and CPU time of one measured step: the CPU of this JVM (its Java and native threads,
 * so DuckDB's worker threads count) and, when a PostgreSQL backend's pid is known, of that backend
 * process (read from {@code /proc}, as the server runs on this machine in the benchmarks).
 */
public final class BenchClock {
    /** Linux's USER_HZ, the unit of utime/stime in {@code /proc/<pid>/stat}; 100 on every common build. */
    private static final long TICKS_PER_SECOND = 100;

    private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final int serverPid;
    private long wallStart;
    private long jvmCpuStart;
    private long serverCpuStart;

    /** @param serverPid a database backend process to measure too, or 0 */
    public BenchClock(int serverPid) {
        this.serverPid = serverPid;
    }

    public void start() {
        wallStart = System.nanoTime();
        jvmCpuStart = os.getProcessCpuTime();
        serverCpuStart = serverCpuNanos();
    }

    public Sample stop(long rows) {
        return new Sample(
                rows,
                System.nanoTime() - wallStart,
                os.getProcessCpuTime() - jvmCpuStart,
                serverPid == 0 ? 0 : serverCpuNanos() - serverCpuStart);
    }

    private long serverCpuNanos() {
        if (serverPid == 0) {
            return 0;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Integer.toString(serverPid), "stat"));
            // Fields after the command name (which may hold spaces, hence the last ')'): state is
            // field 3, utime field 14, stime field 15.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ticks * 1_000_000_000L / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0; // not Linux, or another machine: report the JVM's CPU only
        }
    }

    /** One measured step. */
    public record Sample(long rows, long wallNanos, long jvmCpuNanos, long serverCpuNanos) {
        public double rowsPerSecond() {
            return rows * 1e9 / wallNanos;
        }

        /** CPU microseconds per row, this JVM and the database backend together. */
        public double cpuMicrosPerRow() {
            return (jvmCpuNanos + serverCpuNanos) / 1e3 / rows;
        }
    }
}
