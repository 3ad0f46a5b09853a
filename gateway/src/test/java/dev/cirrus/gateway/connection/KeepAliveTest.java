package dev.cirrus.gateway.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import dev.cirrus.gateway.identity.GatewayData;
import dev.cirrus.gateway.support.Gateway;
import dev.cirrus.gateway.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A keep-alive connection keeps answering after a request that reached the server before the previous exchange had
 * finished on the server's side. Under load that happens on any keep-alive connection (the client has read the answer
 * and sent its next request while the server is still completing the previous exchange); a client that pipelines its
 * requests makes it happen every time. The server queues such a request, and when it answered it at once (an
 * in-memory answer: the providers catalogue, an ARM error) Reactor Netty 1.3.6/1.3.7 stopped reading
 * the connection: the next request got no answer at all while every thread was idle (the gateway's 30-second stalls).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class KeepAliveTest {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.withoutKafka(registry, "gateway_keepalive");
    }

    @LocalServerPort
    int port;

    @Autowired
    GatewayData data;

    @Test
    void aProviderReadAfterTwoPipelinedReadsOnTheSameConnectionIsAnswered() throws IOException {
        Gateway admin = Gateway.admin(port, data);
        String subscription = admin.newSubscription();
        String read = "GET /subscriptions/" + subscription + "/providers/Microsoft.Compute?api-version=2021-04-01"
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + admin.token() + "\r\n\r\n";
        try (Connection connection = new Connection(port)) {
            connection.write(read + read);
            assertThat(connection.readResponse()).startsWith("HTTP/1.1 200");
            assertThat(connection.readResponse()).startsWith("HTTP/1.1 200");

            connection.write(read);

            assertThat(connection.readResponse()).startsWith("HTTP/1.1 200").contains("Microsoft.Compute");
        }
    }

    @Test
    void aHealthProbeAfterAPipelinedArmErrorOnTheSameConnectionIsAnswered() throws IOException {
        String anonymous = "GET /subscriptions/" + UUID.randomUUID()
                + "/resourcegroups?api-version=2021-04-01 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        try (Connection connection = new Connection(port)) {
            connection.write("GET /actuator/health/liveness HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" + anonymous);
            assertThat(connection.readResponse()).startsWith("HTTP/1.1 200");
            assertThat(connection.readResponse()).startsWith("HTTP/1.1 401").contains("AuthenticationFailed")
                    .doesNotContainIgnoringCase("connection: close");

            connection.write("GET /actuator/health/readiness HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

            assertThat(connection.readResponse()).startsWith("HTTP/1.1 200").contains("\"UP\"");
        }
    }

    @Test
    void anArmErrorToARequestWithABodyClosesTheConnection() throws IOException {
        String body = "{\"location\":\"westeurope\"}";
        try (Connection connection = new Connection(port)) {
            connection.write("PUT /subscriptions/" + UUID.randomUUID() + "/resourcegroups/rg?api-version=2021-04-01"
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length() + "\r\n\r\n" + body);

            assertThat(connection.readResponse()).startsWith("HTTP/1.1 401").containsIgnoringCase("connection: close");
        }
    }

    /** One HTTP/1.1 keep-alive connection over loopback, written and read by hand (java.net.http never pipelines). */
    static final class Connection implements AutoCloseable {

        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Connection(int port) throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            // a safety net only: without an answer the test fails here instead of hanging the build
            socket.setSoTimeout(20_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        void write(String requests) throws IOException {
            out.write(requests.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        /** The next response on the connection: head and body (Content-Length or chunked). */
        String readResponse() throws IOException {
            try {
                String head = readLinesUntilBlank();
                List<String> lines = List.of(head.split("\r\n"));
                StringBuilder response = new StringBuilder(head).append("\r\n");
                long length = 0;
                boolean chunked = false;
                for (String line : lines) {
                    String lower = line.toLowerCase(Locale.ROOT);
                    if (lower.startsWith("content-length:")) {
                        length = Long.parseLong(line.substring(15).strip());
                    }
                    chunked |= lower.startsWith("transfer-encoding:") && lower.contains("chunked");
                }
                if (chunked) {
                    for (long size; (size = Long.parseLong(readLine().strip(), 16)) > 0; readLine()) {
                        response.append(new String(in.readNBytes((int) size), StandardCharsets.UTF_8));
                    }
                    readLinesUntilBlank(); // trailers
                } else {
                    response.append(new String(in.readNBytes((int) length), StandardCharsets.UTF_8));
                }
                return response.toString();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the gateway did not answer on the keep-alive connection", e);
            }
        }

        private String readLinesUntilBlank() throws IOException {
            List<String> lines = new ArrayList<>();
            for (String line; !(line = readLine()).isEmpty(); ) {
                lines.add(line);
            }
            return String.join("\r\n", lines);
        }

        private String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b; (b = in.read()) != '\n'; ) {
                if (b < 0) {
                    throw new IOException("the gateway closed the connection");
                }
                if (b != '\r') {
                    line.write(b);
                }
            }
            return line.toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
