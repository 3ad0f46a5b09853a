package dev.cirrus.gateway.arm;

import java.util.concurrent.atomic.AtomicLong;

import dev.cirrus.gateway.functions.FunctionsProperties;
import dev.cirrus.gateway.functions.FunctionsTraffic;
import dev.cirrus.plumbing.arm.ArmException;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * ARM's maximum request body, 4 MB, for the gateway's own resources and for routed calls alike:
 * refused at once when Content-Length says so, and while streaming when the body is chunked. Calls to functions
 * ({@link FunctionsTraffic}) have Azure Functions' limit instead ({@code cirrus.gateway.functions.max-request-body}),
 * and their bodies stream through.
 */
@Component
class RequestBodyLimitFilter implements WebFilter, Ordered {

    static final long ARM_LIMIT = 4L * 1024 * 1024;

    @Override
    public int getOrder() {
        return ArmFilters.BODY_LIMIT;
    }

    private final long functionsLimit;
    /** A body declared this much over the limit is refused at once rather than read and dropped. */
    static final long DRAIN_AT_MOST = 16L * 1024 * 1024;

    RequestBodyLimitFilter(FunctionsProperties functions) {
        this.functionsLimit = functions.maxRequestBody().toBytes();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        boolean function = FunctionsTraffic.app(exchange).isPresent();
        long limit = function ? functionsLimit : ARM_LIMIT;
        long declared = request.getHeaders().getContentLength();
        if (declared > limit) {
            ArmException refusal = function ? tooLargeForAFunction(limit) : tooLarge();
            if (declared - limit > DRAIN_AT_MOST) {
                return Mono.error(refusal);
            }
            // read and drop the body first: the answer closes the connection, and closing it while the client is
            // still sending makes the client's write fail before it reads the 413 (seen with a 4 MB body)
            return request.getBody().doOnNext(DataBufferUtils::release).then(Mono.error(refusal));
        }
        if (request.getHeaders().getContentLength() <= 0 && !request.getHeaders().containsHeader("Transfer-Encoding")) {
            return chain.filter(exchange); // no body to count (HTTP/1.1: neither a length nor chunks)
        }
        ServerHttpRequest limited = new ServerHttpRequestDecorator(request) {
            @Override
            public Flux<DataBuffer> getBody() {
                return Flux.defer(() -> {
                    AtomicLong count = new AtomicLong();
                    return super.getBody().map(buffer -> {
                        if (count.addAndGet(buffer.readableByteCount()) > limit) {
                            DataBufferUtils.release(buffer);
                            throw function ? tooLargeForAFunction(limit) : tooLarge();
                        }
                        return buffer;
                    });
                });
            }
        };
        return chain.filter(exchange.mutate().request(limited).build());
    }

    @Override
    public String toString() {
        return "RequestBodyLimitFilter"; // Spring names each filter's checkpoint with this, on every request
    }

    static ArmException tooLargeForAFunction(long limit) {
        return new ArmException(413, "RequestEntityTooLarge",
                "The request content is larger than the maximum of " + limit + " bytes a function receives.");
    }

    static ArmException tooLarge() {
        return new ArmException(413, "RequestEntityTooLarge",
                "The request content is larger than the maximum of " + ARM_LIMIT + " bytes (4 MB).");
    }
}
