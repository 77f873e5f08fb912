package events.jitsi.jenkins;

import events.jitsi.core.pipeline.PipelineSteps;
import hudson.model.TaskListener;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;

/**
 * The execution of every step that does its work in one go (a few AWS calls, a file on the agent): off the CPS VM
 * thread, its result a plain map, its failure one line in the build log. Only {@code waitForServiceStable}, which
 * waits, has an execution of its own.
 */
final class QuickStepExecution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
    private static final long serialVersionUID = 1L;

    /** The step's work, given its context; it may throw, and its message reaches the build log. */
    @FunctionalInterface
    interface Work {
        Map<String, ?> run(StepContext context) throws IOException, InterruptedException;
    }

    /** Work against AWS: the engine's steps with this step's clients (closed when it ends) and build log. */
    @FunctionalInterface
    interface AwsWork {
        Map<String, ?> run(PipelineSteps steps, StepContext context) throws IOException, InterruptedException;
    }

    private final transient String step;
    private final transient Work work;

    QuickStepExecution(StepContext context, String step, Work work) {
        super(context);
        this.step = step;
        this.work = work;
    }

    static QuickStepExecution withAws(StepContext context, String step, AwsWork work) {
        return new QuickStepExecution(context, step, c -> {
            TaskListener listener = c.get(TaskListener.class);
            try (AwsClients clients = new AwsClients(c)) {
                return work.run(new PipelineSteps(clients, SharedWaits.get().scheduler(), listener.getLogger()::println), c);
            }
        });
    }

    @Override
    protected Map<String, Object> run() throws Exception {
        try {
            return new HashMap<>(work.run(getContext()));
        } catch (IOException | RuntimeException e) {
            throw Failures.forJenkins(step, e);
        }
    }
}
