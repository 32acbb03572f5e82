package dev.ferry.kernel;

import com.google.gson.JsonObject;
import dev.ferry.kernel.wire.Message;

/**
 * Asks the frontend for input on the stdin channel (to the identity of the client that sent the
 * execute_request) and waits for its input_reply; an interrupt cancels the wait.
 */
final class StdinBridge {
    private final Channels ch;
    private volatile boolean cancelled;

    StdinBridge(Channels ch) {
        this.ch = ch;
    }

    /** The user's answer, or null when the wait was interrupted or the socket closed. */
    String ask(Message execute, String prompt, boolean password) {
        cancelled = false;
        JsonObject c = new JsonObject();
        c.addProperty("prompt", prompt == null ? "" : prompt);
        c.addProperty("password", password);
        synchronized (ch.stdin) {
            ch.wire.send(ch.stdin, execute.identities(), "input_request", execute.header(), c);
            ch.stdin.setReceiveTimeOut(100);
            try {
                while (!cancelled) {
                    Message reply = ch.wire.receiveOnce(ch.stdin);
                    if (reply != null && reply.type().equals("input_reply")) {
                        return reply.str("value", "");
                    }
                }
                return null;
            } finally {
                ch.stdin.setReceiveTimeOut(-1);
            }
        }
    }

    void cancel() {
        cancelled = true;
    }
}
