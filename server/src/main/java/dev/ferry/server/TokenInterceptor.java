package dev.ferry.server;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

import java.util.logging.Logger;

/** Refuses every call whose {@value Token#HEADER} header is missing or wrong (UNAUTHENTICATED), and logs it. */
final class TokenInterceptor implements ServerInterceptor {
    private static final Logger LOG = Logger.getLogger("dev.ferry.server");
    static final Metadata.Key<String> KEY = Metadata.Key.of(Token.HEADER, Metadata.ASCII_STRING_MARSHALLER);
    private final String token;

    TokenInterceptor(String token) {
        this.token = token;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String given = headers.get(KEY);
        if (!Token.matches(token, given)) {
            String why = given == null ? "no " + Token.HEADER + " header" : "a wrong token";
            LOG.warning("refused " + call.getMethodDescriptor().getFullMethodName() + ": " + why);
            call.close(Status.UNAUTHENTICATED.withDescription("the call carried " + why + ": a client reads the token"
                    + " from server.token in the server's data directory (same user, same FERRY_DATA_DIR)"), new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        return next.startCall(call, headers);
    }
}
