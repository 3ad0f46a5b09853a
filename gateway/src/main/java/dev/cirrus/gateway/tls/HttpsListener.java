package dev.cirrus.gateway.tls;

import java.net.InetSocketAddress;

import dev.cirrus.gateway.arm.MalformedRequests;
import dev.cirrus.gateway.identity.GatewayData;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.stereotype.Component;
import reactor.netty.DisposableServer;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;

/**
 * The gateway's HTTPS listener, beside the plain HTTP one ({@code server.port}, 8080, which the launcher and the
 * system test use): the same application ({@link HttpHandler}: the same filters, routes and error handling) on
 * {@code cirrus.gateway.https-port} (default 8443) with the {@link TlsCertificate}. The Azure SDKs use this one:
 * they refuse to send a bearer token over plain http.
 */
@Component
public class HttpsListener implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(HttpsListener.class);

    private final HttpHandler handler;
    private final TlsCertificate certificate;
    private final GatewayData data;
    private final String address;
    private volatile DisposableServer server;

    HttpsListener(HttpHandler handler, TlsCertificate certificate, GatewayData data,
                  @Value("${server.address:}") String address) {
        this.handler = handler;
        this.certificate = certificate;
        this.data = data;
        this.address = address;
    }

    @Override
    public void start() {
        try {
            SslContext ssl = SslContextBuilder.forServer(certificate.key(), certificate.certificate()).build();
            HttpServer http = MalformedRequests.on(HttpServer.create())
                    .protocol(HttpProtocol.HTTP11)
                    .secure(spec -> spec.sslContext(ssl))
                    .handle(new ReactorHttpHandlerAdapter(handler));
            http = address.isBlank() ? http.port(data.httpsPort())
                    : http.bindAddress(() -> new InetSocketAddress(address, data.httpsPort()));
            server = http.bindNow();
            log.info("HTTPS listener on port {} (certificate {}, Java trust store {})", port(),
                    certificate.certificatePem(), certificate.trustStore());
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalStateException("cannot start the HTTPS listener", e);
        }
    }

    /** The port the HTTPS listener is bound to (the actual one when configured as 0). */
    public int port() {
        DisposableServer s = server;
        if (s == null) {
            throw new IllegalStateException("the HTTPS listener is not running");
        }
        return ((InetSocketAddress) s.address()).getPort();
    }

    @Override
    public void stop() {
        DisposableServer s = server;
        if (s != null) {
            s.disposeNow();
            server = null;
        }
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }
}
