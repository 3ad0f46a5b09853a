package dev.cirrus.gateway.arm;

import java.net.InetSocketAddress;
import java.util.List;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.adapter.ForwardedHeaderTransformer;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;

/**
 * The forwarded headers of a request ({@code Forwarded}, {@code X-Forwarded-*}), believed only from a trusted proxy
 * ({@link TrustedProxies}): when the request's direct peer is one, Spring's {@link ForwardedHeaderTransformer} takes
 * the public scheme, host, port, prefix and client address from them into the request; from anyone else they are
 * removed, and the request keeps its own Host, scheme and peer address. Everything the gateway derives from the
 * request's URL follows from that: the absolute URLs it writes itself ({@code Location} of a group deletion and of
 * its operation, {@code nextLink} of {@code /resources}, the token endpoints' issuer), the X-Forwarded-* it sends to
 * the services ({@code routing/ProxiedHeaders.java}), from which they build theirs, and the Functions data plane's
 * host.
 *
 * <p>Named as the bean {@link WebHttpHandlerBuilder} applies to every request before any filter, on both listeners
 * (the HTTPS one runs the same {@code HttpHandler}); {@code server.forward-headers-strategy} is {@code none}, so Spring
 * Boot declares no transformer of its own.
 */
@Component(WebHttpHandlerBuilder.FORWARDED_HEADER_TRANSFORMER_BEAN_NAME)
public class ForwardedHeaders extends ForwardedHeaderTransformer {

    private final List<TrustedProxies.Block> trusted;
    private final ForwardedHeaderTransformer remover = new ForwardedHeaderTransformer();

    ForwardedHeaders(TrustedProxies proxies) {
        this.trusted = proxies.blocks();
        remover.setRemoveOnly(true);
    }

    @Override
    public ServerHttpRequest apply(ServerHttpRequest request) {
        if (!hasForwardedHeaders(request)) {
            return request; // the usual request: nothing to believe or remove
        }
        return fromTrustedProxy(request) ? super.apply(request) : remover.apply(request);
    }

    private boolean fromTrustedProxy(ServerHttpRequest request) {
        InetSocketAddress peer = request.getRemoteAddress();
        if (peer == null || peer.getAddress() == null) {
            return false;
        }
        for (TrustedProxies.Block block : trusted) {
            if (block.contains(peer.getAddress())) {
                return true;
            }
        }
        return false;
    }
}
