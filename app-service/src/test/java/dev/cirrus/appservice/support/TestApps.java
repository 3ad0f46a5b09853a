package dev.cirrus.appservice.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Packages for the deployment tests: a tiny Java web app compiled here ({@code com.sun.net.httpserver}, no
 * dependency) and jarred with its {@code Main-Class}, and zips of any files.
 *
 * <p>The Java app listens on {@code PORT} and answers {@code GET /} with one line naming what it runs with:
 * {@code instance=<WEBSITE_INSTANCE_ID> greeting=<GREETING> db=<SQLAZURECONNSTR_db> port=<SERVER_PORT>}; {@code /pid}
 * with its process id; {@code /health} with 200 unless the file {@code unhealthy} exists in its working folder;
 * {@code /exit} ends the process (code 3). It prints {@code hello app listening on <port>} once it listens.
 */
public final class TestApps {

    private static final String SOURCE = """
            import com.sun.net.httpserver.HttpExchange;
            import com.sun.net.httpserver.HttpServer;
            import java.io.IOException;
            import java.io.OutputStream;
            import java.net.InetSocketAddress;
            import java.nio.charset.StandardCharsets;
            import java.nio.file.Files;
            import java.nio.file.Path;

            public class Hello {
                public static void main(String[] args) throws Exception {
                    int port = Integer.parseInt(System.getenv("PORT"));
                    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
                    server.createContext("/", ex -> answer(ex, 200, "instance=" + System.getenv("WEBSITE_INSTANCE_ID")
                            + " greeting=" + System.getenv("GREETING") + " db=" + System.getenv("SQLAZURECONNSTR_db")
                            + " port=" + System.getenv("SERVER_PORT") + " path=" + ex.getRequestURI()));
                    server.createContext("/pid", ex -> answer(ex, 200, Long.toString(ProcessHandle.current().pid())));
                    server.createContext("/burn", ex -> {
                        long end = System.nanoTime() + Long.parseLong(ex.getRequestURI().getQuery()) * 1_000_000L;
                        long spins = 0;
                        while (System.nanoTime() < end) {
                            spins++;
                        }
                        answer(ex, 200, "burnt " + spins);
                    });
                    server.createContext("/health", ex -> answer(ex, Files.exists(Path.of("unhealthy")) ? 500 : 200,
                            "health"));
                    server.createContext("/exit", ex -> {
                        answer(ex, 200, "bye");
                        System.exit(3);
                    });
                    server.start();
                    System.out.println("hello app listening on " + port);
                }

                static void answer(HttpExchange ex, int status, String text) throws IOException {
                    byte[] body = text.getBytes(StandardCharsets.UTF_8);
                    ex.getResponseHeaders().set("Content-Type", "text/plain");
                    ex.sendResponseHeaders(status, body.length);
                    try (OutputStream out = ex.getResponseBody()) {
                        out.write(body);
                    }
                }
            }
            """;

    private static byte[] jar;

    private TestApps() {
    }

    /** The Java app as an executable jar (compiled once per test JVM). */
    public static synchronized byte[] javaJar() {
        if (jar != null) {
            return jar;
        }
        try {
            Path dir = Files.createTempDirectory("hello-app");
            Path source = dir.resolve("Hello.java");
            Files.writeString(source, SOURCE);
            JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
            int code = compiler.run(null, null, null, "-d", dir.toString(), source.toString());
            if (code != 0) {
                throw new IllegalStateException("the test app did not compile");
            }
            Manifest manifest = new Manifest();
            manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "Hello");
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (JarOutputStream out = new JarOutputStream(bytes, manifest)) {
                try (var classes = Files.list(dir)) {
                    for (Path c : classes.filter(p -> p.toString().endsWith(".class")).toList()) {
                        out.putNextEntry(new JarEntry(c.getFileName().toString()));
                        out.write(Files.readAllBytes(c));
                        out.closeEntry();
                    }
                }
            }
            jar = bytes.toByteArray();
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A zip deployment of the Java app: {@code app.jar} at the root. */
    public static byte[] javaAppZip() {
        return zip(Map.of("app.jar", javaJar()));
    }

    /** A static site: {@code index.html} saying {@code text}, and {@code css/site.css}. */
    public static byte[] staticSiteZip(String text) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("index.html", ("<html><body>" + text + "</body></html>").getBytes(StandardCharsets.UTF_8));
        files.put("css/site.css", "body { color: teal; }".getBytes(StandardCharsets.UTF_8));
        return zip(files);
    }

    /** A zip of the given entries, in order (names as given: a test may name one {@code ../x}). */
    public static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A zip whose one entry unpacks to {@code megabytes} MB of zeros (it compresses to almost nothing). */
    public static byte[] bombZip(int megabytes) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            out.putNextEntry(new ZipEntry("zeros.bin"));
            byte[] mb = new byte[1024 * 1024];
            for (int i = 0; i < megabytes; i++) {
                out.write(mb);
            }
            out.closeEntry();
            out.putNextEntry(new ZipEntry("index.html"));
            out.write("<p>big</p>".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The names of a zip's entries, for messages. */
    public static List<String> names(Map<String, byte[]> entries) {
        return List.copyOf(entries.keySet());
    }
}
