package dev.ferry.remote.worker;

import dev.ferry.FerryException;
import dev.ferry.RemoteException;
import dev.ferry.remote.protocol.Errors;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class WorkerFunctionsTest {
    @Test
    void theRemoteStackBecomesTheRemoteCausesFramesWithoutTheCallCell() {
        List<String> remote = List.of("java.lang.IllegalStateException: bad input 3",
                "    at helper (cell line 1):  int helper(int x) { throw new IllegalStateException(\"bad\"); }",
                "    at boom (cell line 2):  return helper(x);",
                "    at <cell> (In [1] line 1):  dev.ferry.remote.worker.FunctionReturn.send(boom(__ferry_arg0));");
        RuntimeException e = Errors.rebuild(FerryException.Code.REMOTE, "java.lang.IllegalStateException", "bad input 3",
                remote, getClass().getClassLoader());
        WorkerFunctions.showRemoteFrames(e, remote);
        assertInstanceOf(IllegalStateException.class, e);
        RemoteException cause = assertInstanceOf(RemoteException.class, e.getCause());
        assertEquals(List.of(
                        "helper (in the function's worker, line 1):  int helper(int x) { throw new IllegalStateException(\"bad\"); }",
                        "boom (in the function's worker, line 2):  return helper(x);"),
                Arrays.stream(cause.getStackTrace()).map(StackTraceElement::getMethodName).toList());
        assertEquals(ErrorReport.REMOTE_FRAME, cause.getStackTrace()[0].getClassName());
        assertEquals(remote, cause.remoteStackTrace(), "the remote lines themselves are kept as they came");
    }
}
