package dev.cirrus.gateway.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The gateway's data folder, {@code cirrus.gateway.data-dir}: the token signing keys ({@code keys/}), the TLS
 * certificate ({@code tls/}) and the generated administrator credentials ({@code credentials.json}). Created on
 * first start; kept across restarts so that tokens, certificates and secrets stay valid.
 *
 * @param dataDir       default {@code ./.cirrus-data/gateway}: next to the other services' data when run from the
 *                      repository root
 * @param httpsPort     the TLS listener's port; default 8443 (the plain HTTP port, {@code server.port}, stays 8080);
 *                      0 picks a free port (logged)
 * @param tlsHostnames  names the certificate is valid for besides {@code localhost}, {@code 127.0.0.1} and
 *                      {@code ::1} (e.g. the host name of a Docker service); read when the certificate is generated
 */
@ConfigurationProperties("cirrus.gateway")
public record GatewayData(Path dataDir, Integer httpsPort, java.util.List<String> tlsHostnames) {

    public GatewayData {
        dataDir = (dataDir == null ? Path.of(".cirrus-data", "gateway") : dataDir).toAbsolutePath().normalize();
        httpsPort = httpsPort == null ? 8443 : httpsPort;
        if (httpsPort < 0 || httpsPort > 65535) {
            throw new IllegalArgumentException("cirrus.gateway.https-port=" + httpsPort + " is not a port (0 = any free port)");
        }
        tlsHostnames = tlsHostnames == null ? java.util.List.of() : java.util.List.copyOf(tlsHostnames);
    }

    /** A folder under the data folder, created when missing. */
    public Path folder(String name) {
        Path folder = dataDir.resolve(name);
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + folder, e);
        }
        return folder;
    }

    public Path credentialsFile() {
        return dataDir.resolve("credentials.json");
    }

    /** Writes a file atomically (temp file + rename), readable by its owner only when it holds secrets. */
    public static void write(Path file, byte[] content, boolean secret) {
        try {
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            Files.write(temp, content);
            if (secret) {
                try {
                    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException ignored) {
                    // not a POSIX file system: the folder's own permissions apply
                }
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
