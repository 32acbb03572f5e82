package dev.ferry.kernel;

import com.google.gson.JsonObject;
import dev.ferry.kernel.wire.Message;
import dev.ferry.kernel.wire.Wire;
import io.github.spencerpark.jupyter.kernel.KernelConnectionProperties;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import java.util.List;

/**
 * The five Jupyter sockets, bound where the connection file says. Every socket is used by one thread at a
 * time: iopub and stdin sends are serialized here, shell and control each belong to their own loop.
 */
final class Channels implements AutoCloseable {
    final ZContext context = new ZContext(1);
    final ZMQ.Socket shell;
    final ZMQ.Socket control;
    final ZMQ.Socket stdin;
    final ZMQ.Socket iopub;
    final ZMQ.Socket heartbeat;
    final Wire wire;

    Channels(KernelConnectionProperties props, Wire wire) {
        this.wire = wire;
        String base = props.getTransport() + "://" + props.getIp() + (props.getTransport().equals("ipc") ? "-" : ":");
        shell = bind(SocketType.ROUTER, base + props.getShellPort());
        control = bind(SocketType.ROUTER, base + props.getControlPort());
        stdin = bind(SocketType.ROUTER, base + props.getStdinPort());
        iopub = bind(SocketType.PUB, base + props.getIopubPort());
        iopub.setSndHWM(100_000); // ZeroMQ's default of 1000 would drop output of chatty cells
        heartbeat = bind(SocketType.REP, base + props.getHbPort());
    }

    private ZMQ.Socket bind(SocketType type, String address) {
        ZMQ.Socket s = context.createSocket(type);
        s.setLinger(1000);
        s.bind(address);
        return s;
    }

    /** Publishes on iopub (any thread). */
    void publish(String type, JsonObject parent, JsonObject content) {
        publish(type, parent, null, content);
    }

    /** Publishes with the message's metadata (comm messages carry their own). */
    void publish(String type, JsonObject parent, JsonObject metadata, JsonObject content) {
        synchronized (iopub) {
            wire.send(iopub, List.of(type.getBytes()), type, parent, metadata, content);
        }
    }

    void status(String state, JsonObject parent) {
        JsonObject c = new JsonObject();
        c.addProperty("execution_state", state);
        publish("status", parent, c);
    }

    void reply(ZMQ.Socket socket, Message request, String type, JsonObject content) {
        synchronized (socket) {
            wire.send(socket, request.identities(), type, request.header(), content);
        }
    }

    /** Echoes heartbeats until the context closes. */
    void runHeartbeat() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                byte[] ping = heartbeat.recv(0);
                if (ping == null) {
                    return;
                }
                heartbeat.send(ping, 0);
            }
        } catch (RuntimeException e) {
            // context closed
        }
    }

    @Override
    public void close() {
        context.close();
    }
}
