package dev.cirrus.appservice.runtime;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import dev.cirrus.plumbing.arm.ArmException;

/**
 * Unpacks a zip deployment package into a fresh folder, refusing what would escape it or exhaust the machine: an
 * entry whose name is absolute or climbs out with {@code ..} (400 {@code InvalidZip}, naming it), more entries than
 * allowed, more bytes unpacked than allowed (a zip bomb: 413 {@code RequestEntityTooLarge}), a body that is not a zip.
 * On any refusal the folder is removed: nothing is left behind.
 */
final class ZipContent {

    private ZipContent() {
    }

    /** Unpacks {@code zip} into {@code target} (created; it must not exist); returns the bytes written. */
    static long extract(byte[] zip, Path target, long maxBytes, int maxEntries) {
        if (zip == null || zip.length == 0) {
            throw ArmException.badRequest("InvalidZip", "The body is empty: send the zip package as the request body.",
                    null);
        }
        Path root = target.toAbsolutePath().normalize();
        long written = 0;
        int entries = 0;
        try {
            Files.createDirectories(root);
            try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
                ZipEntry entry;
                while ((entry = in.getNextEntry()) != null) {
                    if (++entries > maxEntries) {
                        throw ArmException.badRequest("InvalidZip", "The package has more than " + maxEntries
                                + " entries.", null);
                    }
                    String name = entry.getName().replace('\\', '/');
                    Path path = root.resolve(name).normalize();
                    if (name.startsWith("/") || name.matches("^[A-Za-z]:.*") || !path.startsWith(root)
                            || ("/" + name + "/").contains("/../") || name.indexOf('\0') >= 0) {
                        throw ArmException.badRequest("InvalidZip", "The entry '" + printable(name) + "' of the "
                                + "package leaves the site's folder.", printable(name));
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(path);
                        continue;
                    }
                    Files.createDirectories(path.getParent());
                    written += copy(in, path, maxBytes - written);
                }
            }
        } catch (ArmException e) {
            delete(root);
            throw e;
        } catch (IOException | IllegalArgumentException e) {
            delete(root);
            throw ArmException.badRequest("InvalidZip", "The body is not a readable zip package: " + e.getMessage(),
                    null);
        }
        if (entries == 0) {
            delete(root);
            throw ArmException.badRequest("InvalidZip", "The body is not a zip package (no entries could be read).",
                    null);
        }
        return written;
    }

    private static long copy(InputStream in, Path path, long room) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long count = 0;
        try (OutputStream out = Files.newOutputStream(path)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                count += n;
                if (count > room) {
                    throw new ArmException(413, "RequestEntityTooLarge", "The package unpacks to more than the "
                            + "largest deployment allowed (cirrus.appservice.sites.max-package-mb).", null);
                }
                out.write(buffer, 0, n);
            }
        }
        return count;
    }

    /** Removes a folder and everything in it; quietly does nothing when it is absent. */
    static void delete(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> all = Files.walk(folder)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a file a process still holds open: the folder is retried with the site's next cleanup
                }
            });
        } catch (IOException ignored) {
            // the folder went away meanwhile
        }
    }

    private static String printable(String text) {
        String clean = text.codePoints().filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return clean.length() > 200 ? clean.substring(0, 200) + "…" : clean;
    }
}
