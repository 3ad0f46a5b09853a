package dev.cirrus.placement.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the machine did while a paced round ran, every 20 ms from /proc: CPU busy, iowait and steal (all cores), and
 * the kernel's dirty and under-writeback page cache. Printed beside each stall of the round ({@link GrpcLoad}), to
 * tell a starved CPU from a disk busy writing back buffered data from a slow commit. Linux only: elsewhere it
 * records nothing and says so.
 */
final class MachineSampler implements AutoCloseable {

    /** One sample: nanoTime, cumulative CPU ticks {busy, idle, iowait, steal}, dirty and writeback kB. */
    private record Sample(long at, long busy, long idle, long iowait, long steal, long dirtyKb, long writebackKb) {
    }

    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    MachineSampler() {
        thread = Thread.ofPlatform().daemon().name("bench-machine-sampler").start(() -> {
            while (running) {
                Sample s = read();
                if (s == null) {
                    return;
                }
                synchronized (samples) {
                    samples.add(s);
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    private static Sample read() {
        try {
            String cpu = Files.readAllLines(Path.of("/proc/stat")).getFirst();
            String[] f = cpu.trim().split("\\s+");
            // cpu user nice system idle iowait irq softirq steal
            long user = Long.parseLong(f[1]), nice = Long.parseLong(f[2]), system = Long.parseLong(f[3]);
            long idle = Long.parseLong(f[4]), iowait = Long.parseLong(f[5]), irq = Long.parseLong(f[6]);
            long softirq = Long.parseLong(f[7]), steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
            long dirty = 0, writeback = 0;
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("Dirty:")) {
                    dirty = Long.parseLong(line.replaceAll("\\D", ""));
                } else if (line.startsWith("Writeback:")) {
                    writeback = Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
            return new Sample(System.nanoTime(), user + nice + system + irq + softirq, idle, iowait, steal, dirty,
                    writeback);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The machine between two nanoTimes: CPU busy / iowait / steal shares and the most dirty and writeback data. */
    String during(long from, long to) {
        List<Sample> in = new ArrayList<>();
        Sample before = null;
        synchronized (samples) {
            for (Sample s : samples) {
                if (s.at() < from) {
                    before = s;
                } else if (s.at() <= to) {
                    in.add(s);
                }
            }
        }
        if (before == null && in.size() > 1) {
            before = in.removeFirst(); // the window starts with the sampler: its first sample is the baseline
        }
        if (before == null || in.isEmpty()) {
            return "machine: no samples";
        }
        Sample last = in.getLast();
        double total = (last.busy() - before.busy()) + (last.idle() - before.idle()) + (last.iowait() - before.iowait())
                + (last.steal() - before.steal());
        long dirty = in.stream().mapToLong(Sample::dirtyKb).max().orElse(0);
        long writeback = in.stream().mapToLong(Sample::writebackKb).max().orElse(0);
        return String.format(Locale.ROOT, "machine: CPU busy %.0f%%, iowait %.0f%%, steal %.0f%%; dirty up to %d MB, "
                        + "writeback up to %d MB", share(last.busy() - before.busy(), total),
                share(last.iowait() - before.iowait(), total), share(last.steal() - before.steal(), total),
                dirty / 1024, writeback / 1024);
    }

    private static double share(long part, double total) {
        return total <= 0 ? 0 : 100.0 * part / total;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
