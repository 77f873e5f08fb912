package events.jitsi.cli;

import events.jitsi.core.ecs.DeployRevision;
import events.jitsi.core.ecs.WaitForStable;
import events.jitsi.core.ecs.WaitRequest;
import events.jitsi.core.ecs.WaitResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "wait", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Wait for a deployment to complete; fail fast when it fails or is rolled back.")
final class WaitCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Mixin
    ServiceOptions target;

    @Option(names = "--deployment-id", description = "The deployment to wait for (default: the PRIMARY one now).")
    String deploymentId;

    @Override
    public Integer call() {
        Output out = main.output();
        WaitRequest request = new WaitRequest(target.cluster, target.service, deploymentId, target.timeout);
        // A wrong cluster or service is bad input, said in one line, as deploy says it.
        DeployRevision.describeService(main.ecs(), request.cluster(), request.service());
        WaitForStable wait = new WaitForStable(main.ecs(), main.scheduler(), target.polling());
        WaitResult r;
        try (Interruption interruption = Interruption.watch(main.ecs(), request.cluster(), request.service(), System.err)) {
            interruption.waiting(deploymentId);
            r = wait.await(request, out.progress());
        }
        out.result(r, r.succeeded() ? "Service " + request.service() + " is stable (deployment " + r.deploymentId() + ")." : r.describe());
        return switch (r.outcome()) {
            case SUCCEEDED -> Main.OK;
            case UNREACHABLE, NOT_FOUND -> Main.BAD_INPUT;
            case FAILED, TIMED_OUT, SUPERSEDED -> Main.FAILED;
        };
    }
}
