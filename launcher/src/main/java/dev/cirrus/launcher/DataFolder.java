package dev.cirrus.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The data folder of a local run and its layout:
 * <pre>
 *   {data}/postgres/          PostgreSQL's cluster (one database per service)
 *   {data}/kafka/             the Kafka broker's log
 *   {data}/logs/{module}.log  each service's stdout and stderr (the previous run's in {module}.log.1)
 *   {data}/work/{module}/     each service's working directory
 *   {data}/cds/{module}/      the service's extracted jar and class data sharing archive
 *   {data}/run-stats.json     endpoints, start times and memory of the last start
 *   {data}/status.json        every process's state, pid, port and restarts while the launcher runs
 *   {data}/service-credential the platform's service credential (random, owner-only), given to every service
 *   {data}/cirrus.lock        the pid of the launcher running on this folder, locked while it runs
 *   {data}/.cirrus            marks the folder as Cirrus's, so that reset never wipes anything else
 * </pre>
 * At most one launcher runs on a folder: it holds an OS file lock on {@code cirrus.lock}, which the OS releases
 * whatever way the launcher ends, so a stale pid never blocks a new run.
 */
public final class DataFolder {

    static final String LOCK_FILE = "cirrus.lock";
    static final String MARKER = ".cirrus";
    /** The folders this JVM holds the lock of. */
    private static final java.util.Set<Path> OWN_LOCKS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private DataFolder() {
    }

    public static Path postgresDir(Path data) {
        return data.resolve("postgres");
    }

    public static Path kafkaDir(Path data) {
        return data.resolve("kafka");
    }

    public static Path logDir(Path data) {
        return data.resolve("logs");
    }

    public static Path workDir(Path data, ServiceModule module) {
        return data.resolve("work").resolve(module.moduleName());
    }

    /** The extracted jar and class data sharing archive of a service (see {@link ClassDataSharing}). */
    public static Path cdsDir(Path data, ServiceModule module) {
        return data.resolve("cds").resolve(module.moduleName());
    }

    public static Path statsFile(Path data) {
        return data.resolve("run-stats.json");
    }

    public static Path statusFile(Path data) {
        return data.resolve("status.json");
    }

    public static Path serviceCredentialFile(Path data) {
        return data.resolve("service-credential");
    }

    /**
     * The platform's service credential: read from {@code {data}/service-credential}, or, on a first run, 32 random
     * bytes (64 hex digits) written there readable by the owner only. Every service gets it; each call behind the
     * gateway must carry it (plumbing/security/ServiceCredential).
     */
    static String serviceCredential(Path data) {
        Path file = serviceCredentialFile(data);
        try {
            if (Files.exists(file)) {
                String kept = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (kept.length() >= 32) {
                    return kept;
                }
            }
            Files.createDirectories(data);
            byte[] random = new byte[32];
            new java.security.SecureRandom().nextBytes(random);
            String credential = java.util.HexFormat.of().formatHex(random);
            Path tmp = Files.createTempFile(data, "service-credential", ".tmp");
            try {
                if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
                    Files.setPosixFilePermissions(tmp,
                            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
                }
                Files.writeString(tmp, credential, StandardCharsets.UTF_8);
                Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return credential;
        } catch (IOException e) {
            throw new UncheckedIOException("could not keep the service credential in " + file, e);
        }
    }

    /** Holds the folder for one running platform; {@link #close()} lets it go. */
    public static final class Lock implements AutoCloseable {
        private final Path data;
        private final FileChannel channel;
        private final FileLock lock;

        private Lock(Path data, FileChannel channel, FileLock lock) {
            this.data = data;
            this.channel = channel;
            this.lock = lock;
        }

        @Override
        public void close() {
            OWN_LOCKS.remove(data);
            try {
                if (lock.isValid()) {
                    lock.release();
                }
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Creates the folder if needed, marks it as Cirrus's and locks it for this process.
     *
     * @throws PlatformStartException when another platform runs on it
     */
    public static Lock lock(Path data) {
        try {
            Files.createDirectories(data);
            Path marker = data.resolve(MARKER);
            if (!Files.exists(marker)) {
                Files.writeString(marker, "Cirrus local data folder: './cirrus reset' wipes it.\n");
            }
            FileChannel channel = FileChannel.open(data.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new PlatformStartException("a Cirrus platform is already running on " + data
                        + holder(data).map(pid -> " (launcher pid " + pid + ")").orElse("")
                        + "; stop it first (Ctrl-C in its terminal), or use another --data folder");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(false);
            OWN_LOCKS.add(data.toAbsolutePath().normalize());
            return new Lock(data.toAbsolutePath().normalize(), channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use data folder " + data, e);
        }
    }

    /** True while a launcher holds the folder's lock (a platform runs on it); the lock is only probed. */
    static boolean inUse(Path data) {
        Path file = data.resolve(LOCK_FILE);
        if (!Files.exists(file)) {
            return false;
        }
        if (holder(data).filter(pid -> pid == ProcessHandle.current().pid()).isPresent()) {
            // this JVM's own platform, or it was: closing a second channel on the file here could release the
            // platform's lock (POSIX locks belong to the process), so ask the lock table instead
            return OWN_LOCKS.contains(data.toAbsolutePath().normalize());
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock probe;
            try {
                probe = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                return true; // held by this very JVM
            }
            if (probe == null) {
                return true;
            }
            probe.release();
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /** The pid written in the lock file, if any. */
    static Optional<Long> holder(Path data) {
        try {
            String text = Files.readString(data.resolve(LOCK_FILE), StandardCharsets.US_ASCII).trim();
            return text.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(text));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** What {@link #reset(Path)} did. */
    public enum ResetOutcome { WIPED, NOTHING_TO_WIPE }

    /**
     * Wipes the folder: all PostgreSQL data, Kafka records and logs. Refuses while a platform runs on it, and
     * refuses a non-empty folder that Cirrus did not create (so a mistyped {@code --data=} cannot wipe a home).
     * A PostgreSQL server left behind by a launcher that was killed is stopped first.
     */
    public static ResetOutcome reset(Path data) {
        if (!Files.exists(data)) {
            return ResetOutcome.NOTHING_TO_WIPE;
        }
        if (!Files.isDirectory(data)) {
            throw new PlatformStartException(data + " is not a directory; not touching it");
        }
        if (!Files.exists(data.resolve(MARKER)) && !isEmpty(data)) {
            throw new PlatformStartException(data + " does not look like a Cirrus data folder (it has no "
                    + MARKER + " marker); not wiping it");
        }
        try (Lock ignored = lock(data)) {
            stopStalePostgres(data, Duration.ofSeconds(30));
            deleteContents(data);
        }
        try {
            Files.deleteIfExists(data.resolve(LOCK_FILE));
            Files.deleteIfExists(data.resolve(MARKER));
            Files.deleteIfExists(data);
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove " + data, e);
        }
        return ResetOutcome.WIPED;
    }

    /**
     * Stops a PostgreSQL server still running on this folder's cluster. Only a launcher that died without
     * stopping it (kill -9) leaves one behind; the caller holds the folder's lock, so no live launcher owns it.
     *
     * @return true when one was running
     */
    static boolean stopStalePostgres(Path data, Duration timeout) {
        Optional<ProcessHandle> postmaster = postmaster(data);
        if (postmaster.isEmpty()) {
            return false;
        }
        ProcessHandle pg = postmaster.get();
        signal(pg.pid(), "INT"); // PostgreSQL's fast shutdown: ends sessions, checkpoints, exits
        try {
            pg.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            pg.destroyForcibly();
        }
        return true;
    }

    /** The postmaster serving this folder's cluster, if one runs. */
    static Optional<ProcessHandle> postmaster(Path data) {
        Path pidFile = postgresDir(data).resolve("postmaster.pid");
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
            if (lines.isEmpty()) {
                return Optional.empty();
            }
            long pid = Long.parseLong(lines.get(0).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(true));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void signal(long pid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteContents(Path data) {
        try {
            Files.walkFileTree(data, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (!file.getParent().equals(data) || !file.getFileName().toString().equals(LOCK_FILE)) {
                        Files.delete(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    if (!dir.equals(data)) {
                        Files.delete(dir);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not wipe " + data, e);
        }
    }
}
