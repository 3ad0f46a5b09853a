package dev.cirrus.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import io.netty.channel.EventLoop;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.support.TimeoutException;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.adapter.DefaultServerWebExchange;
import org.springframework.web.server.i18n.AcceptHeaderLocaleContextResolver;
import org.springframework.web.server.session.DefaultWebSessionManager;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

class ResponseTimeoutTest {

    @Test
    void theTimerRunsOnTheEventLoopOfTheClientsConnectionFoundThroughPublicApi() throws Exception {
        AtomicReference<String> seen = new AtomicReference<>();
        HttpHandler handler = (request, response) -> {
            ServerWebExchange exchange = new DefaultServerWebExchange(request, response, new DefaultWebSessionManager(),
                    ServerCodecConfigurer.create(), new AcceptHeaderLocaleContextResolver());
            EventLoop loop = ResponseTimeout.eventLoop(exchange);
            seen.set(loop == null ? "no loop" : loop.inEventLoop() ? "this thread's loop" : "another loop");
            return ResponseTimeout.of(Mono.never(), Duration.ofMillis(100), exchange)
                    .onErrorResume(TimeoutException.class, e -> {
                        seen.set(seen.get() + ", timed out on " + (loop.inEventLoop() ? "the loop" : "another thread"));
                        return response.setComplete();
                    });
        };
        DisposableServer server = HttpServer.create().host("127.0.0.1").port(0)
                .handle(new ReactorHttpHandlerAdapter(handler)).bindNow();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/x")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(seen.get()).isEqualTo("this thread's loop, timed out on the loop");
        } finally {
            server.disposeNow();
        }
    }

    @Test
    void withoutAnEventLoopTheTimerStillExpires() {
        ServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/x"));
        assertThat(ResponseTimeout.eventLoop(exchange)).isNull();

        Throwable failure = ResponseTimeout.of(Mono.never(), Duration.ofMillis(50), exchange)
                .then(Mono.<Throwable>empty()).onErrorResume(Mono::just).block(Duration.ofSeconds(5));

        assertThat(failure).isInstanceOf(TimeoutException.class);
    }
}
