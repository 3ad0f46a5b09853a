package dev.cirrus.gateway.support;

import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpRequest;
import reactor.core.publisher.Mono;

/** A request's whole body as bytes (empty when it has none); its size is bounded by the gateway's body-limit filter. */
public final class RequestBodies {

    private RequestBodies() {
    }

    public static Mono<byte[]> bytes(ServerHttpRequest request) {
        return DataBufferUtils.join(request.getBody())
                .map(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    DataBufferUtils.release(buffer);
                    return bytes;
                })
                .defaultIfEmpty(new byte[0]);
    }
}
