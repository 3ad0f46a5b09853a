package dev.cirrus.plumbing.security;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * The {@link ServiceCredential} over gRPC: the client side adds it to every call's metadata, the server side refuses a
 * call without it ({@code UNAUTHENTICATED}) before the service sees it.
 */
public final class ServiceCredentialGrpc {

    static final Metadata.Key<String> KEY = Metadata.Key.of(ServiceCredential.METADATA_KEY,
            Metadata.ASCII_STRING_MARSHALLER);

    private ServiceCredentialGrpc() {
    }

    /** For a server: refuses calls that do not carry the credential exactly once. */
    public static ServerInterceptor serverInterceptor(ServiceCredential credential) {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                              ServerCallHandler<Q, R> next) {
                Iterable<String> values = headers.getAll(KEY);
                var it = values == null ? null : values.iterator();
                String first = it != null && it.hasNext() ? it.next() : null;
                if (first == null || it.hasNext() || !credential.matches(first)) {
                    call.close(Status.UNAUTHENTICATED.withDescription("this service answers only calls from the "
                            + "Cirrus gateway and services: the call carries no valid service credential"),
                            new Metadata());
                    return new ServerCall.Listener<>() {
                    };
                }
                return next.startCall(call, headers);
            }
        };
    }

    /** For a channel: adds the credential to every call. */
    public static ClientInterceptor clientInterceptor(ServiceCredential credential) {
        return new ClientInterceptor() {
            @Override
            public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options,
                                                       Channel next) {
                return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                    @Override
                    public void start(Listener<R> listener, Metadata headers) {
                        headers.put(KEY, credential.value());
                        super.start(listener, headers);
                    }
                };
            }
        };
    }
}
