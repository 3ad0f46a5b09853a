package dev.cirrus.gateway.arm;

import java.util.concurrent.atomic.AtomicLong;

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
 * ARM's maximum request body, 4 MB (reference §1.1), for the gateway's own resources and for routed calls alike:
 * refused at once when Content-Length says so, and while streaming when the body is chunked.
 */
@Component
class RequestBodyLimitFilter implements WebFilter, Ordered {

    static final long ARM_LIMIT = 4L * 1024 * 1024;

    @Override
    public int getOrder() {
        return ArmFilters.BODY_LIMIT;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        if (request.getHeaders().getContentLength() > ARM_LIMIT) {
            return Mono.error(tooLarge());
        }
        ServerHttpRequest limited = new ServerHttpRequestDecorator(request) {
            @Override
            public Flux<DataBuffer> getBody() {
                return Flux.defer(() -> {
                    AtomicLong count = new AtomicLong();
                    return super.getBody().map(buffer -> {
                        if (count.addAndGet(buffer.readableByteCount()) > ARM_LIMIT) {
                            DataBufferUtils.release(buffer);
                            throw tooLarge();
                        }
                        return buffer;
                    });
                });
            }
        };
        return chain.filter(exchange.mutate().request(limited).build());
    }

    static ArmException tooLarge() {
        return new ArmException(413, "RequestEntityTooLarge",
                "The request content is larger than the maximum of " + ARM_LIMIT + " bytes (4 MB).");
    }
}
