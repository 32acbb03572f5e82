package dev.ferry.remote.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.ferry.CancelledException;
import dev.ferry.FerryException.Code;
import dev.ferry.FerryTimeoutException;
import dev.ferry.InvalidArgumentException;
import dev.ferry.NotFoundException;
import dev.ferry.RemoteException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.NoSuchElementException;

class ErrorsTest {
    private static final ClassLoader HERE = ErrorsTest.class.getClassLoader();

    /** A user exception type that exists on the sending side only. */
    private static final String ELSEWHERE = "com.example.models.ShapeMismatchError";

    @Test
    void everyErrorHasOneStatus() {
        assertEquals(Code.INVALID_ARGUMENT, Errors.code(new InvalidArgumentException("x")));
        assertEquals(Code.NOT_FOUND, Errors.code(new NotFoundException("x")));
        assertEquals(Code.DEADLINE_EXCEEDED, Errors.code(new FerryTimeoutException("x")));
        assertEquals(Code.CANCELLED, Errors.code(new CancelledException("x")));
        assertEquals(Code.INVALID_ARGUMENT, Errors.code(new NumberFormatException("x"))); // a subclass
        assertEquals(Code.NOT_FOUND, Errors.code(new NoSuchElementException("x")));
        assertEquals(Code.FAILED_PRECONDITION, Errors.code(new IllegalStateException("x")));
        assertEquals(Code.DEADLINE_EXCEEDED, Errors.code(new java.util.concurrent.TimeoutException("x")));
        assertEquals(Code.CANCELLED, Errors.code(new InterruptedException("x")));
        assertEquals(Code.UNAVAILABLE, Errors.code(new java.io.IOException("x")));
        assertEquals(Code.INTERNAL, Errors.code(new NullPointerException("x")));
        assertEquals(Code.REMOTE, Errors.code(new RemoteException(null, ELSEWHERE, "m", List.of())));
    }

    @Test
    void enameIsTheClassNameAndARemoteErrorReadsAsWhatWasThrownThere() {
        assertEquals("dev.ferry.NotFoundException", Errors.ename(new NotFoundException("x")));
        assertEquals("java.lang.IllegalStateException", Errors.ename(new IllegalStateException("x")));
        assertEquals(ELSEWHERE, Errors.ename(new RemoteException(Code.REMOTE, ELSEWHERE, "m", List.of())));
    }

    private static RuntimeException roundTrip(Throwable t) {
        JsonObject reply = Errors.write(new JsonObject(), t);
        return Errors.read(reply, HERE);
    }

    @Test
    void aLoadableTypeComesBackAsItselfWithTheRemoteStackAsItsCause() {
        IllegalStateException sent = new IllegalStateException("queue 'jobs' is full");
        RuntimeException got = roundTrip(sent);
        assertEquals(IllegalStateException.class, got.getClass());
        assertEquals("queue 'jobs' is full", got.getMessage());
        RemoteException remote = assertInstanceOf(RemoteException.class, got.getCause());
        assertEquals(Code.FAILED_PRECONDITION, remote.code());
        assertEquals(sent.getStackTrace()[0].toString(), remote.remoteStackTrace().get(0));
        assertInstanceOf(NotFoundException.class, roundTrip(new NotFoundException("dict 'x' does not exist")));
    }

    @Test
    void anUnknownTypeBecomesTheFerryExceptionOfItsStatusOrARemoteException() {
        RuntimeException notFound = Errors.rebuild(Code.NOT_FOUND, ELSEWHERE, "no such model", List.of(), HERE);
        assertInstanceOf(NotFoundException.class, notFound);
        assertEquals("no such model", notFound.getMessage());
        assertEquals(ELSEWHERE, ((RemoteException) notFound.getCause()).remoteType());

        RuntimeException user = Errors.rebuild(Code.REMOTE, ELSEWHERE, "shapes (3,4) and (5,6)",
                List.of("com.example.models.Net.forward(Net.java:42)"), HERE);
        RemoteException re = assertInstanceOf(RemoteException.class, user);
        assertEquals(ELSEWHERE, re.remoteType());
        assertEquals("shapes (3,4) and (5,6)", re.remoteMessage());
        assertEquals(List.of("com.example.models.Net.forward(Net.java:42)"), re.remoteStackTrace());
        assertTrue(re.getMessage().contains(ELSEWHERE + ": shapes (3,4) and (5,6)"), re.getMessage());
    }

    @Test
    void aCheckedTypeOrOneWithoutAMessageConstructorIsNotInstantiated() {
        RuntimeException io = roundTrip(new java.io.IOException("disk full"));
        RemoteException re = assertInstanceOf(RemoteException.class, io);
        assertEquals("java.io.IOException", re.remoteType());
        assertEquals(Code.UNAVAILABLE, re.code());
    }

    @Test
    void aReplyFromANewerPeerWithAnUnknownStatusStillReads() {
        JsonObject reply = new JsonObject();
        reply.addProperty("error", "boom");
        reply.addProperty("errorType", ELSEWHERE);
        reply.addProperty("errorCode", "SOMETHING_NEW");
        RemoteException re = assertInstanceOf(RemoteException.class, Errors.read(reply, HERE));
        assertEquals(Code.INTERNAL, re.code());
    }
}
