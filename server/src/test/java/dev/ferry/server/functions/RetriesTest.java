package dev.ferry.server.functions;

import dev.ferry.proto.v1.FunctionOptions;
import dev.ferry.proto.v1.FunctionSpec;
import dev.ferry.proto.v1.RetryPolicy;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RetriesTest {
    static List<Long> delays(Retries r, int n) {
        return IntStream.rangeClosed(1, n).mapToObj(r::delayMs).toList();
    }

    @Test
    void retriesNAloneIsOneSecondApartAsModalsInteger() {
        Retries r = Retries.of(FunctionOptions.newBuilder().setRetries(3).build());
        assertEquals(3, r.maxRetries());
        assertEquals(List.of(1000L, 1000L, 1000L), delays(r, 3));
    }

    @Test
    void aPolicyBacksOffFromModalsDefaultsUpToTheMaxDelay() {
        Retries modal = Retries.of(FunctionOptions.newBuilder().setRetries(8).setRetryPolicy(RetryPolicy.newBuilder()
                .setInitialDelayMs(1000)).build()); // coefficient and max delay at 0: Modal's 2.0 and 60 s
        assertEquals(List.of(1000L, 2000L, 4000L, 8000L, 16000L, 32000L, 60000L, 60000L), delays(modal, 8));
        Retries custom = Retries.of(FunctionOptions.newBuilder().setRetries(4).setRetryPolicy(RetryPolicy.newBuilder()
                .setBackoffCoefficient(3).setInitialDelayMs(100).setMaxDelayMs(1000)).build());
        assertEquals(List.of(100L, 300L, 900L, 1000L), delays(custom, 4));
        Retries immediate = Retries.of(FunctionOptions.newBuilder().setRetries(2).setRetryPolicy(RetryPolicy.newBuilder()
                .setBackoffCoefficient(1).setInitialDelayMs(0)).build());
        assertEquals(List.of(0L, 0L), delays(immediate, 2));
    }

    @Test
    void outOfRangeValuesNameTheirRange() {
        assertEquals("retries=11 is out of range: give 0 to 10", assertThrows(IllegalArgumentException.class,
                () -> Retries.of(FunctionOptions.newBuilder().setRetries(11).build())).getMessage());
        assertEquals("initial_delay=61.0 s is out of range: give 0 to 60 seconds", assertThrows(IllegalArgumentException.class,
                () -> Retries.of(FunctionOptions.newBuilder().setRetries(1).setRetryPolicy(RetryPolicy.newBuilder()
                        .setInitialDelayMs(61_000)).build())).getMessage());
        assertEquals("max_delay=0.5 s is out of range: give 1 to 60 seconds", assertThrows(IllegalArgumentException.class,
                () -> Retries.of(FunctionOptions.newBuilder().setRetries(1).setRetryPolicy(RetryPolicy.newBuilder()
                        .setMaxDelayMs(500)).build())).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Retries.of(FunctionOptions.newBuilder().setRetries(1)
                .setRetryPolicy(RetryPolicy.newBuilder().setBackoffCoefficient(11)).build()));
    }

    @Test
    void aPoolIsKeyedByTheWholeSpecWhateverTheOrderOfItsEnvironment() {
        FunctionSpec a = FunctionSpec.newBuilder().setName("f").setMethodSource("int f() { return 1; }")
                .setOptions(FunctionOptions.newBuilder().putEnv("A", "1").putEnv("B", "2")).build();
        FunctionSpec b = FunctionSpec.newBuilder().setName("f").setMethodSource("int f() { return 1; }")
                .setOptions(FunctionOptions.newBuilder().putEnv("B", "2").putEnv("A", "1")).build();
        assertEquals(WorkerPool.key(a), WorkerPool.key(b));
        assertNotEquals(WorkerPool.key(a), WorkerPool.key(a.toBuilder().setOptions(a.getOptions().toBuilder().setMaxInputs(1)).build()));
        assertNotEquals(WorkerPool.key(a), WorkerPool.key(a.toBuilder().addDeclarations("record P(int x) {}").build()));
    }

    @Test
    void scalingOptionsAreChecked() {
        assertEquals("max_containers=1001 is out of range: give 0 to 1000", assertThrows(IllegalArgumentException.class,
                () -> WorkerPool.Settings.of(FunctionOptions.newBuilder().setMaxContainers(1001).build())).getMessage());
        WorkerPool.Settings s = WorkerPool.Settings.of(FunctionOptions.getDefaultInstance());
        assertEquals(60_000, s.scaledownMs(), "Modal's default scaledown window");
        assertEquals(0, s.max());
    }
}
