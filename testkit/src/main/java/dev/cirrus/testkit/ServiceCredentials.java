package dev.cirrus.testkit;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The platform's service credential in tests: one random secret per test JVM, which {@link SpringInfrastructure}
 * gives every service under test ({@code cirrus.service-credential}), and an {@link HttpClient} that sends it on
 * every call as the gateway does (the header of {@code plumbing/security/ServiceCredential}).
 */
public final class ServiceCredentials {

    /** The header the services require (plumbing's {@code ServiceCredential.HEADER}). */
    public static final String HEADER = "X-Cirrus-Service-Credential";

    private static final String VALUE = HexFormat.of().formatHex(random(32));

    private ServiceCredentials() {
    }

    /** This test JVM's credential. */
    public static String value() {
        return VALUE;
    }

    /** A new HTTP client that adds the credential to every request it sends. */
    public static HttpClient httpClient() {
        return new Credentialed(HttpClient.newHttpClient());
    }

    /** {@code client} with the credential added to every request it sends. */
    public static HttpClient httpClient(HttpClient client) {
        return new Credentialed(client);
    }

    private static byte[] random(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return b;
    }

    private static final class Credentialed extends HttpClient {
        private final HttpClient client;

        Credentialed(HttpClient client) {
            this.client = client;
        }

        private static HttpRequest withCredential(HttpRequest request) {
            return HttpRequest.newBuilder(request, (name, value) -> !HEADER.equalsIgnoreCase(name))
                    .header(HEADER, VALUE).build();
        }

        @Override
        public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
                throws IOException, InterruptedException {
            return client.send(withCredential(request), handler);
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
                                                                HttpResponse.BodyHandler<T> handler) {
            return client.sendAsync(withCredential(request), handler);
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
                                                                HttpResponse.BodyHandler<T> handler,
                                                                HttpResponse.PushPromiseHandler<T> push) {
            return client.sendAsync(withCredential(request), handler, push);
        }

        @Override
        public Optional<CookieHandler> cookieHandler() {
            return client.cookieHandler();
        }

        @Override
        public Optional<Duration> connectTimeout() {
            return client.connectTimeout();
        }

        @Override
        public Redirect followRedirects() {
            return client.followRedirects();
        }

        @Override
        public Optional<ProxySelector> proxy() {
            return client.proxy();
        }

        @Override
        public SSLContext sslContext() {
            return client.sslContext();
        }

        @Override
        public SSLParameters sslParameters() {
            return client.sslParameters();
        }

        @Override
        public Optional<Authenticator> authenticator() {
            return client.authenticator();
        }

        @Override
        public Version version() {
            return client.version();
        }

        @Override
        public Optional<Executor> executor() {
            return client.executor();
        }

        @Override
        public void close() {
            client.close();
        }
    }
}
