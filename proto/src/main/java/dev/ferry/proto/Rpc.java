package dev.ferry.proto;

import com.google.protobuf.Descriptors;
import com.google.protobuf.Message;
import dev.ferry.proto.v1.FerryProto;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one gRPC binder of Ferry, for server and client alike: method descriptors are built at run time from
 * {@code ferry/v1/ferry.proto}'s own service descriptors (no generated stubs). A service implementation is a
 * plain object with one method per rpc, named in lower camel case ({@code Status} → {@code status}):
 * {@code void status(StatusRequest req, StreamObserver<ServerStatus> out)} for unary and server-streaming
 * rpcs. An rpc it lacks answers UNIMPLEMENTED. Exceptions it throws become statuses through one table
 * ({@link #status}).
 */
public final class Rpc {
    private static final Map<String, MethodDescriptor<Message, Message>> METHODS = new ConcurrentHashMap<>();

    private Rpc() {
    }

    /** A service of ferry.proto by its short name ("Store"). */
    public static Descriptors.ServiceDescriptor service(String name) {
        Descriptors.ServiceDescriptor s = FerryProto.getDescriptor().findServiceByName(name);
        if (s == null) {
            throw new IllegalArgumentException("ferry.proto has no service '" + name + "'");
        }
        return s;
    }

    /** The gRPC method descriptor of {@code "Service/Method"}, built once. */
    public static MethodDescriptor<Message, Message> method(String serviceAndMethod) {
        return METHODS.computeIfAbsent(serviceAndMethod, key -> {
            int slash = key.indexOf('/');
            Descriptors.ServiceDescriptor s = service(key.substring(0, slash));
            Descriptors.MethodDescriptor m = s.findMethodByName(key.substring(slash + 1));
            if (m == null) {
                throw new IllegalArgumentException("service " + s.getName() + " has no rpc '" + key.substring(slash + 1) + "'");
            }
            return build(s, m);
        });
    }

    private static MethodDescriptor<Message, Message> build(Descriptors.ServiceDescriptor s, Descriptors.MethodDescriptor m) {
        MethodDescriptor.MethodType type = m.isClientStreaming()
                ? (m.isServerStreaming() ? MethodDescriptor.MethodType.BIDI_STREAMING : MethodDescriptor.MethodType.CLIENT_STREAMING)
                : (m.isServerStreaming() ? MethodDescriptor.MethodType.SERVER_STREAMING : MethodDescriptor.MethodType.UNARY);
        return MethodDescriptor.<Message, Message>newBuilder()
                .setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(s.getFullName(), m.getName()))
                .setRequestMarshaller(ProtoUtils.marshaller(defaultInstance(m.getInputType())))
                .setResponseMarshaller(ProtoUtils.marshaller(defaultInstance(m.getOutputType())))
                .build();
    }

    /** The generated class's default instance for a message type of ferry.proto (java_multiple_files). */
    static Message defaultInstance(Descriptors.Descriptor d) {
        String name = d.getFile().getOptions().getJavaPackage() + "." + d.getName();
        try {
            return (Message) Class.forName(name).getMethod("getDefaultInstance").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no generated class " + name + " for message " + d.getFullName(), e);
        }
    }

    /** Binds an implementation object to a service of ferry.proto (see the class comment). */
    public static ServerServiceDefinition bind(String serviceName, Object impl) {
        Descriptors.ServiceDescriptor s = service(serviceName);
        ServiceDescriptor.Builder sd = ServiceDescriptor.newBuilder(s.getFullName());
        for (Descriptors.MethodDescriptor m : s.getMethods()) {
            sd.addMethod(method(s.getName() + "/" + m.getName()));
        }
        ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(sd.build());
        for (Descriptors.MethodDescriptor m : s.getMethods()) {
            MethodDescriptor<Message, Message> md = method(s.getName() + "/" + m.getName());
            if (m.isClientStreaming()) {
                throw new IllegalArgumentException("client-streaming rpc " + md.getFullMethodName() + " is not supported by Rpc.bind yet");
            }
            Method jm = find(impl, m);
            ServerCalls.UnaryMethod<Message, Message> call = jm == null
                    ? (req, out) -> out.onError(Status.UNIMPLEMENTED.withDescription("this server does not implement "
                    + md.getFullMethodName()).asRuntimeException())
                    : (req, out) -> invoke(jm, impl, req, out);
            b.addMethod(md, m.isServerStreaming() ? ServerCalls.asyncServerStreamingCall(call::invoke) : ServerCalls.asyncUnaryCall(call));
        }
        return b.build();
    }

    private static Method find(Object impl, Descriptors.MethodDescriptor m) {
        String name = Character.toLowerCase(m.getName().charAt(0)) + m.getName().substring(1);
        Class<?> in = defaultInstance(m.getInputType()).getClass();
        for (Class<?> c = impl.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Method jm = c.getDeclaredMethod(name, in, StreamObserver.class);
                jm.setAccessible(true);
                return jm;
            } catch (NoSuchMethodException e) {
                // look in the superclass
            }
        }
        return null;
    }

    private static void invoke(Method jm, Object impl, Message req, StreamObserver<Message> out) {
        try {
            jm.invoke(impl, req, out);
        } catch (InvocationTargetException e) {
            out.onError(status(e.getCause()));
        } catch (IllegalAccessException e) {
            out.onError(status(e));
        }
    }

    /**
     * The one table from exceptions to statuses: IllegalArgumentException INVALID_ARGUMENT, NoSuchElement
     * NOT_FOUND, IllegalState FAILED_PRECONDITION, InterruptedException CANCELLED, else INTERNAL; the
     * exception's message becomes the description.
     */
    public static StatusRuntimeException status(Throwable t) {
        if (t instanceof StatusRuntimeException s) {
            return s;
        }
        Status st = t instanceof IllegalArgumentException ? Status.INVALID_ARGUMENT
                : t instanceof NoSuchElementException ? Status.NOT_FOUND
                : t instanceof IllegalStateException ? Status.FAILED_PRECONDITION
                : t instanceof InterruptedException ? Status.CANCELLED
                : Status.INTERNAL;
        String msg = t.getMessage() != null ? t.getMessage() : t.getClass().getName();
        return st.withDescription(st == Status.INTERNAL ? t.getClass().getName() + ": " + msg : msg).withCause(t).asRuntimeException();
    }

    /** A unary call ("Store/DictGet"), blocking. */
    @SuppressWarnings("unchecked")
    public static <R extends Message> R unary(Channel ch, CallOptions opts, String serviceAndMethod, Message req) {
        return (R) ClientCalls.blockingUnaryCall(ch, method(serviceAndMethod), opts, req);
    }

    /** A server-streaming call; the iterator blocks for each item. */
    @SuppressWarnings("unchecked")
    public static <R extends Message> Iterator<R> serverStreaming(Channel ch, CallOptions opts, String serviceAndMethod, Message req) {
        return (Iterator<R>) (Iterator<?>) ClientCalls.blockingServerStreamingCall(ch, method(serviceAndMethod), opts, req);
    }
}
