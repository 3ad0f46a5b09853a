package dev.cirrus.gateway.arm;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.stereotype.Component;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

/**
 * Requests that never reach WebFlux as a request: HTTP the decoder cannot read (a request line or headers over its
 * limits, a malformed header) and request targets Spring cannot make a {@code URI} of or decode (a malformed
 * percent-encoding such as {@code %ZZ} or a lone {@code %}, escapes that are not UTF-8 such as {@code %FF}, characters
 * a URI cannot hold) are answered here with ARM's error body instead of Reactor Netty's or Spring's empty 400 (or
 * a 500 further in), and the connection is closed. So are an encoded {@code /} ({@code %2F}) in an ARM path, which
 * would make one segment of a resource name look like two to the services, control characters in a path, and a
 * {@code Host} a URI cannot hold. Nothing else is looked at: a target of plain URI characters (the usual ARM call)
 * is passed on after one scan.
 *
 * <p>A handler per connection, right after the HTTP codec ({@link #on}): on the gateway's HTTP server through
 * Spring Boot's {@link NettyServerCustomizer}, on the HTTPS listener ({@code tls/HttpsListener.java}) directly.
 */
public final class MalformedRequests extends ChannelInboundHandlerAdapter {

    static final String NAME = "cirrus.malformedRequests";

    /** The refusal of one request: status, ARM code, message. */
    record Refusal(HttpResponseStatus status, String code, String message) {
    }

    /** Once a request was refused, the rest of the connection's input is dropped; the connection closes. */
    private boolean refused;

    /** Adds the check to every connection of an HTTP/1.1 server. */
    public static HttpServer on(HttpServer server) {
        return server.doOnChannelInit((observer, channel, remote) -> {
            ChannelPipeline pipeline = channel.pipeline();
            if (pipeline.get(NettyPipeline.HttpCodec) != null && pipeline.get(NAME) == null) {
                pipeline.addAfter(NettyPipeline.HttpCodec, NAME, new MalformedRequests());
            }
        });
    }

    @Component
    static class OnTheHttpServer implements NettyServerCustomizer {
        @Override
        public HttpServer apply(HttpServer server) {
            return on(server);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest request) {
            Refusal refusal = check(request);
            if (refusal != null) {
                refused = true;
                ReferenceCountUtil.release(msg);
                ctx.writeAndFlush(response(refusal)).addListener(ChannelFutureListener.CLOSE);
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    static Refusal check(HttpRequest request) {
        DecoderResult result = request.decoderResult();
        if (result.isFailure()) {
            Throwable cause = result.cause();
            if (cause instanceof TooLongHttpLineException) {
                return new Refusal(HttpResponseStatus.REQUEST_URI_TOO_LONG, "RequestUriTooLong",
                        "The request URI is longer than the gateway accepts.");
            }
            if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
                return new Refusal(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "RequestHeaderFieldsTooLarge",
                        "The request's headers are larger than the gateway accepts.");
            }
            return new Refusal(HttpResponseStatus.BAD_REQUEST, "BadRequest",
                    "The request is not a well-formed HTTP/1.1 request.");
        }
        String host = request.headers().get(HttpHeaderNames.HOST);
        if (host != null && !isHost(host)) {
            return new Refusal(HttpResponseStatus.BAD_REQUEST, "BadRequest", "The request's Host header is not a host name.");
        }
        String target = request.uri();
        return isPlain(target) ? null : checkTarget(target);
    }

    /** The request target of a request whose target is not plain: its escapes, its characters, its ARM path. */
    static Refusal checkTarget(String target) {
        int queryAt = target.indexOf('?');
        String path = queryAt < 0 ? target : target.substring(0, queryAt);
        String query = queryAt < 0 ? null : target.substring(queryAt + 1);
        String problem = encodingProblem(path);
        if (problem == null && query != null) {
            problem = encodingProblem(query);
        }
        if (problem == null) {
            try {
                new URI("http://localhost" + (target.startsWith("/") ? "" : "/") + target);
            } catch (URISyntaxException e) {
                problem = "it holds a character a URI cannot hold";
            }
        }
        if (problem == null) {
            String lower = path.toLowerCase(Locale.ROOT);
            boolean arm = lower.startsWith("/subscriptions") || lower.startsWith("/providers")
                    || lower.startsWith("/cirrus/");
            if (arm && lower.contains("%2f")) {
                problem = "an encoded '/' (%2F) is not allowed in a path segment";
            } else if (hasControlCharacter(path)) {
                problem = "its path holds a control character";
            }
        }
        return problem == null ? null : new Refusal(HttpResponseStatus.BAD_REQUEST, "InvalidRequestUri",
                "The request URI is not valid: " + problem + ".");
    }

    /** Why the percent-encoding of a path or query is malformed, or null when every escape decodes to UTF-8. */
    static String encodingProblem(String raw) {
        int percent = raw.indexOf('%');
        if (percent < 0) {
            return null;
        }
        ByteBuffer bytes = ByteBuffer.allocate(raw.length() * 3);
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0
                        || Character.digit(raw.charAt(i + 2), 16) < 0) {
                    return "'%' is not followed by two hexadecimal digits";
                }
                bytes.put((byte) (Character.digit(raw.charAt(i + 1), 16) << 4 | Character.digit(raw.charAt(i + 2), 16)));
                i += 2;
            } else {
                bytes.put(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes.flip());
            return null;
        } catch (CharacterCodingException e) {
            return "its percent-encoded octets are not UTF-8";
        }
    }

    private static boolean hasControlCharacter(String rawPath) {
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                return true;
            }
            if (c == '%' && i + 2 < rawPath.length()) {
                int octet = Character.digit(rawPath.charAt(i + 1), 16) << 4 | Character.digit(rawPath.charAt(i + 2), 16);
                if (octet < 0x20 || octet == 0x7F) {
                    return true;
                }
            }
        }
        return false;
    }

    /** RFC 3986's unreserved and sub-delimiter characters and {@code : @ / ?}: nothing to decode or refuse. */
    static boolean isPlain(String raw) {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            boolean plain = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "-._~!$&'()*+,;=:@/?".indexOf(c) >= 0;
            if (!plain) {
                return false;
            }
        }
        return true;
    }

    /** A host name, an IPv4 address or a bracketed IPv6 address, with an optional port. */
    private static boolean isHost(String host) {
        if (host.isEmpty()) {
            return false;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean allowed = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '.' || c == '-' || c == '_' || c == ':' || c == '[' || c == ']';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    private static FullHttpResponse response(Refusal refusal) {
        // the code and message are the gateway's own text: nothing of the request is echoed, nothing to escape
        byte[] body = ("{\"error\":{\"code\":\"" + refusal.code() + "\",\"message\":\"" + refusal.message() + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, refusal.status(),
                Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .set(RequestIdFilter.REQUEST_ID, RequestIdFilter.newId());
        return response;
    }
}
