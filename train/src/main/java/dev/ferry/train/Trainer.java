package dev.ferry.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * The training loop: model, AdamW and a deterministic batch stream. {@link #resumeOrStart} picks up from a
 * checkpoint when there is one, so re-running a notebook cell continues where it stopped.
 */
public final class Trainer {

    public interface StepListener {
        void onStep(int step, float loss, double tokensPerSecond);
    }

    private final Ops ops;
    private final Gpt model;
    private final AdamW opt;
    private final Batches data;
    private final List<Float> losses = new ArrayList<>();

    public Trainer(Backend backend, Gpt model, AdamW opt, Batches data) {
        this.ops = new Ops(backend);
        this.model = model;
        this.opt = opt;
        this.data = data;
    }

    public Gpt model() {
        return model;
    }

    public AdamW optimizer() {
        return opt;
    }

    public int step() {
        return opt.step;
    }

    /** Losses of the steps this trainer ran. */
    public List<Float> losses() {
        return List.copyOf(losses);
    }

    /** Loads {@code checkpoint} when it exists; returns the step training continues from. */
    public int resumeOrStart(Path checkpoint) throws IOException {
        return Files.exists(checkpoint) ? Checkpoint.load(checkpoint, model, opt) : opt.step;
    }

    /** One optimisation step on the batch of the current step; returns its loss (before the update). */
    public float trainStep() {
        Batches.Batch b = data.at(opt.step);
        Tensor loss = model.loss(ops, b.inputs(), b.targets(), b.batch(), b.time());
        loss.backward();
        opt.step(ops.backend());
        losses.add(loss.item());
        return loss.item();
    }

    /**
     * Runs until {@code untilStep}, or until the thread is interrupted (checked at each step boundary);
     * saves to {@code checkpoint} (when not null) every {@code every} steps and when it stops.
     */
    public int train(int untilStep, Path checkpoint, int every, StepListener listener) throws IOException {
        while (opt.step < untilStep && !Thread.currentThread().isInterrupted()) {
            long t0 = System.nanoTime();
            float loss = trainStep();
            double tps = data.at(0).inputs().length / ((System.nanoTime() - t0) / 1e9);
            if (listener != null) listener.onStep(opt.step, loss, tps);
            if (checkpoint != null && every > 0 && opt.step % every == 0) Checkpoint.save(checkpoint, model, opt);
        }
        if (checkpoint != null) {
            // file channels close themselves on an interrupted thread: save with the flag clear, then restore it
            boolean interrupted = Thread.interrupted();
            try {
                Checkpoint.save(checkpoint, model, opt);
            } finally {
                if (interrupted) Thread.currentThread().interrupt();
            }
        }
        return opt.step;
    }

    /** Mean loss over {@code batches} windows of {@code eval} (no gradients kept). */
    public float evaluate(Batches eval, int batches) {
        double s = 0;
        for (int i = 0; i < batches; i++) {
            Batches.Batch b = eval.at(i);
            s += model.loss(new Ops(ops.backend()), b.inputs(), b.targets(), b.batch(), b.time()).item();
        }
        return (float) (s / batches);
    }
}
