package dev.cirrus.placement.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Locale;

import dev.cirrus.placement.allocation.PackingReport;
import dev.cirrus.placement.allocation.SchedulerBenchmark;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs every benchmark of the placement engine and writes the figures to {@code bench-results/placement-bench.md}:
 * <pre>
 *   mvn -B -q verify -pl placement-engine -Pbench -DskipTests
 * </pre>
 * 1. JMH: one in-process decision at 10,000 hosts, 50% utilization (standalone VM, availability-set VM).
 * 2. The gRPC load client: 16 clients, Place with persistence (alone, and in steady state after a Release), and an
 *    empty gRPC call, in alternating rounds.
 * 3. The packing report: the default mixed workload in pack and in spread mode.
 */
public final class Bench {

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "bench-results/placement-bench.md");
        StringBuilder md = new StringBuilder();
        md.append("# placement-engine benchmarks\n\n")
                .append("Run: `mvn -B -q verify -pl placement-engine -Pbench -DskipTests` on ")
                .append(LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME.withLocale(Locale.ROOT)))
                .append(", ").append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                .append(System.getProperty("java.version")).append(" (")
                .append(java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                        .map(java.lang.management.GarbageCollectorMXBean::getName)
                        .collect(java.util.stream.Collectors.joining(", ")))
                .append("), load average at the start ").append(load())
                .append(" (other processes share the machine). Every figure below comes from this one run.\n\n");

        // -Dbench.only=grpc runs the gRPC comparison alone (for iterating; the documented run does everything)
        boolean all = !"grpc".equals(System.getProperty("bench.only"));
        Collection<RunResult> jmh = !all ? java.util.List.of() : new Runner(new OptionsBuilder()
                .include(SchedulerBenchmark.class.getName()).build()).run();
        md.append("## 1. In-process decisions (JMH), 10,000 hosts at 50% utilization\n\n")
                .append("| benchmark | decisions/s | p50 (ms) | p99 (ms) | p99.9 (ms) |\n|---|---|---|---|---|\n");
        for (String name : new String[] {"standaloneVm", "availabilitySetVm", "standaloneVmPlacedAndReleased"}) {
            double throughput = 0;
            double p50 = 0;
            double p99 = 0;
            double p999 = 0;
            for (RunResult r : jmh) {
                if (!r.getParams().getBenchmark().endsWith("." + name)) {
                    continue;
                }
                switch (r.getParams().getMode()) {
                    case Throughput -> throughput = r.getPrimaryResult().getScore() * 1000;
                    case SampleTime -> {
                        p50 = r.getPrimaryResult().getStatistics().getPercentile(50);
                        p99 = r.getPrimaryResult().getStatistics().getPercentile(99);
                        p999 = r.getPrimaryResult().getStatistics().getPercentile(99.9);
                    }
                    default -> { }
                }
            }
            md.append("| ").append(name).append(" | ").append(fmt(throughput, 0)).append(" | ").append(fmt(p50, 3))
                    .append(" | ").append(fmt(p99, 3)).append(" | ").append(fmt(p999, 3)).append(" |\n");
        }
        md.append("\nTarget: >= 10,000 decisions/s with p99 <= 1 ms (one thread). With the default weighting (pack) a ")
                .append("decision walks the fullness indexes of each cluster instead of scanning the 10,000 hosts; ")
                .append("standaloneVmPlacedAndReleased adds what keeping those indexes up to date costs (the VM ")
                .append("taken into the hosts' use and released again).\n\n");

        GrpcLoad.Comparison grpc = GrpcLoad.compare(3, 2, 5);
        GrpcLoad.Figures place = grpc.place();
        GrpcLoad.Figures empty = grpc.empty();
        md.append("## 2. Over gRPC on loopback, 16 concurrent clients\n\n")
                .append("| what | calls | seconds | calls/s | p50 (ms) | p99 (ms) |\n|---|---|---|---|---|---|\n");
        GrpcLoad.Figures alone = grpc.placeAlone();
        GrpcLoad.Figures paced = grpc.placePaced();
        for (GrpcLoad.Figures f : new GrpcLoad.Figures[] {alone, paced, place, empty}) {
            md.append("| ").append(f.what()).append(" | ").append(f.calls()).append(" | ").append(fmt(f.seconds(), 1))
                    .append(" | ").append(fmt(f.perSecond(), 0)).append(" | ").append(fmt(f.p50Ms(), 2))
                    .append(" | ").append(fmt(f.p99Ms(), 2)).append(" |\n");
        }
        double changes = place.calls() + grpc.releases();
        md.append("\n**Place alone** (the target's measure: placements/s): ").append(fmt(alone.perSecond(), 0))
                .append(" placements/s, p50 ").append(fmt(alone.p50Ms(), 2)).append(" ms, p99 ")
                .append(fmt(alone.p99Ms(), 2)).append(" ms; ")
                .append(fmt(alone.perSecond() / empty.perSecond() * 100, 1))
                .append("% of the empty call's rate. Each client places 2-vCPU VMs one after the other on the ")
                .append("10,000-host inventory; between the rounds the ").append(grpc.releasedBetween())
                .append(" VMs they placed are released again over gRPC (")
                .append(fmt(grpc.releasedBetween() / Math.max(0.001, grpc.releaseSeconds()), 0))
                .append(" releases/s, timed apart, not counted as placements). CPU per Place: ")
                .append(fmt(grpc.aloneJvmCpu() / alone.calls() * 1e6, 0)).append(" µs in this JVM (Java threads ")
                .append(fmt(grpc.aloneThreadsCpu() / alone.calls() * 1e6, 0)).append(" µs), ")
                .append(fmt(grpc.alonePostgresCpu() / alone.calls() * 1e6, 0)).append(" µs in PostgreSQL; ")
                .append(fmt((double) alone.calls() / Math.max(1, grpc.aloneCommits()), 1))
                .append(" placements per commit.\n\n")
                .append("**Place alone at the target's rate, open loop**: one thread issues ")
                .append(fmt(GrpcLoad.PACED_RATE, 0)).append(" asynchronous Place calls per second at even intervals, ")
                .append("whatever the answers (latency from each call's scheduled start to its answer, so a late ")
                .append("issue counts too): ").append(fmt(paced.perSecond(), 0)).append(" placements/s done, p50 ")
                .append(fmt(paced.p50Ms(), 2)).append(" ms, p99 ").append(fmt(paced.p99Ms(), 2))
                .append(" ms. Tail: ").append(grpc.pacedTail()).append(".\n\n")
                .append("**Place in steady state** (each client holds at most 40 VMs, so each measured Place follows ")
                .append("a Release of its oldest VM, both committed before their answers): ");
        md.append("placements/s relative to empty calls/s in this run: ")
                .append(fmt(place.perSecond() / empty.perSecond() * 100, 1)).append("%. ")
                .append("Counting the Release each client makes before each measured Place (")
                .append(grpc.releases()).append(" releases, also committed before their answer), the engine served ")
                .append(fmt(changes / place.seconds(), 0)).append(" committed calls/s, ")
                .append(fmt(changes / place.seconds() / empty.perSecond() * 100, 1))
                .append("% of the empty call's rate. ")
                .append("CPU per measured Place (with its Release): ")
                .append(fmt(grpc.placeJvmCpu() / place.calls() * 1e6, 0))
                .append(" µs in this JVM (load clients, gRPC client and server, engine; of which Java threads ")
                .append(fmt(grpc.placeThreadsCpu() / place.calls() * 1e6, 0))
                .append(" µs, the group-commit writer ").append(fmt(grpc.placeWriterCpu() / place.calls() * 1e6, 0))
                .append(" µs; the rest is the JIT compilers and the GC), ")
                .append(fmt(grpc.placePostgresCpu() / place.calls() * 1e6, 0))
                .append(" µs in PostgreSQL; per empty call ")
                .append(fmt(grpc.emptyJvmCpu() / empty.calls() * 1e6, 0)).append(" µs (Java threads ")
                .append(fmt(grpc.emptyThreadsCpu() / empty.calls() * 1e6, 0))
                .append(" µs). Java-thread CPU per Place with its Release over Java-thread CPU per empty call: ")
                .append(fmt(grpc.placeThreadsCpu() / place.calls() / (grpc.emptyThreadsCpu() / empty.calls()), 1))
                .append("x. So, a bound derived from ")
                .append("CPU cost (not a measurement): 2 otherwise idle cores could serve at most ")
                .append(fmt(2 / ((grpc.placeJvmCpu() + grpc.placePostgresCpu()) / place.calls()), 0))
                .append(" placements/s (each with its release) and ")
                .append(fmt(2 / (grpc.emptyJvmCpu() / empty.calls()), 0)).append(" empty calls/s. ")
                .append("The JIT compilers worked ").append(fmt(grpc.jitSeconds(), 1))
                .append(" s during the measured rounds. ")
                .append("PostgreSQL committed ").append(grpc.commits()).append(" transactions in the Place rounds: ")
                .append(fmt(changes / Math.max(1, grpc.commits()), 1))
                .append(" placements and releases per commit (group commit). ")
                .append("Each Place is decided in memory and answered only once the group commit holding its ")
                .append("allocation and its outbox event is committed. The measurements alternate in 3 rounds ")
                .append("(5 s of Place in steady state, 2 s of empty calls, 5 s of Place alone and its releases, 5 s of ")
                .append("open-loop Place and its releases) after ")
                .append("a warm-up (3 rounds, not counted), so all see the same machine; ")
                .append("both servers run their handlers on the transport's threads. ")
                .append("Target: >= 2,000 placements/s with p99 <= 10 ms. Kafka is not running: events stay in the ")
                .append("outbox, as they would until the relay publishes them. PostgreSQL runs as Cirrus runs it ")
                .append("locally and in tests (the embedded server, with fsync, synchronous_commit and ")
                .append("full_page_writes on, group commit through commit_delay): a Place is answered only once its ")
                .append("commit is on disk, so an acknowledged Place survives a crash of the engine, of PostgreSQL ")
                .append("or of the machine.\n\n");

        md.append("## 3. Packing report: the default mixed workload\n\n")
                .append("600 VMs (D/E/F series, 2-16 vCPU; 60% standalone, 20% in 10 availability sets of FD 3, 20% ")
                .append("in 6 scale sets) on 240 hosts of 64 vCPU / 256 GiB (2 clusters x 3 racks x 40).\n\n")
                .append("| mode | placed | demand vCPU | demand GiB | lower bound (hosts) | hosts opened | over bound ")
                .append("| free vCPU / GiB on opened hosts | stranded vCPU / GiB | worst set FD skew |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (PackingReport.Result r : !all ? new PackingReport.Result[0]
                : new PackingReport.Result[] {PackingReport.pack(), PackingReport.spread()}) {
            md.append("| ").append(r.mode()).append(" | ").append(r.placed()).append("/").append(r.vms())
                    .append(" | ").append(r.demandVcpus()).append(" | ").append(r.demandMemoryGib()).append(" | ")
                    .append(r.lowerBound()).append(" | ").append(r.hostsOpened()).append(" | ")
                    .append(fmt(r.overLowerBound() * 100, 1)).append("% | ").append(r.freeVcpusOnOpened())
                    .append(" / ").append(r.freeMemoryGibOnOpened()).append(" | ").append(r.strandedVcpus())
                    .append(" / ").append(r.strandedMemoryGib()).append(" | ").append(r.worstSetSkew()).append(" |\n");
        }
        md.append("\nLower bound = max(ceil(total vCPU / 64), ceil(total GiB / 256)). Stranded = free capacity on ")
                .append("opened hosts where no size of the workload fits any more. Targets: pack mode within 5% of ")
                .append("the lower bound; every set's fault-domain skew at most 1.\n");

        md.append("\nLoad average at the end: ").append(load()).append(".\n");
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, md);
        System.out.println(md);
        System.out.println("written to " + out.toAbsolutePath());
        System.exit(0);
    }

    /** The 1-, 5- and 15-minute load averages (Linux), or "unknown". */
    private static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " / " + f[1] + " / " + f[2];
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String fmt(double value, int decimals) {
        return String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }

    private Bench() {
    }
}
