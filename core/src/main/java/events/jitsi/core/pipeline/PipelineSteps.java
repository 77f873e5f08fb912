package events.jitsi.core.pipeline;

import events.jitsi.core.InvalidInputException;
import events.jitsi.core.OperationFailedException;
import events.jitsi.core.config.Environments;
import events.jitsi.core.config.Installation;
import events.jitsi.core.ecs.DeployRequest;
import events.jitsi.core.ecs.DeployResult;
import events.jitsi.core.ecs.DeployRevision;
import events.jitsi.core.ecs.RolloutResult;
import events.jitsi.core.ecs.TaskDefinitions;
import events.jitsi.core.ecs.Promote;
import events.jitsi.core.ecs.PromotionPlan;
import events.jitsi.core.ecs.PromotionResult;
import events.jitsi.core.ecs.WaitForStable;
import events.jitsi.core.ecs.WaitResult;
import events.jitsi.core.prosody.AccountResult;
import events.jitsi.core.prosody.ProsodyAccounts;
import events.jitsi.core.prosody.ProsodyTarget;
import events.jitsi.core.prosody.XmppAccounts;
import events.jitsi.core.prosody.XmppEndpoint;
import events.jitsi.core.status.ServiceSnapshot;
import events.jitsi.core.time.Scheduler;
import events.jitsi.core.verify.Check;
import events.jitsi.core.verify.VerificationHtml;
import events.jitsi.core.aws.AwsServices;
import events.jitsi.core.verify.VerificationReport;
import events.jitsi.core.verify.Verify;
import events.jitsi.core.watermark.RemoteWatermark;
import events.jitsi.core.watermark.SvgSafety;
import events.jitsi.core.watermark.Watermark;
import events.jitsi.core.watermark.WatermarkResult;
import software.amazon.awssdk.services.ecs.EcsClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The Pipeline steps' semantics, over the engine: a step's typed arguments in (one record per step, checked where it
 * is built: {@link DeployArguments}, {@link WaitArguments}, {@link ServiceStateArguments}, {@link VerifyArguments},
 * {@link WatermarkArguments}, {@link ProsodyArguments}), a small map of plain values out. The Jenkins plugin builds
 * the records from its Step classes' fields; the shared library's tests pass Groovy's named arguments, which the
 * {@code Map} overloads turn into the same records, so both agree on every argument name, default and result key.
 */
public final class PipelineSteps {
    private final Function<AwsAccess, AwsServices> clients;
    private final Scheduler scheduler;
    private final Consumer<String> log;

    /** @param clients the AWS clients of an access; the caller owns (and closes) them */
    public PipelineSteps(Function<AwsAccess, AwsServices> clients, Scheduler scheduler, Consumer<String> log) {
        this.clients = clients;
        this.scheduler = scheduler;
        this.log = log;
    }

    /** {@code ecsDeployRevision} with Pipeline-style named arguments (the shared library's tests). */
    public Map<String, Object> ecsDeployRevision(Map<String, ?> arguments) {
        return ecsDeployRevision(DeployArguments.of(arguments));
    }

    /** {@code ecsDeployRevision}: all deploy modes, and with {@code imagesFrom} the promotion (dry or not). */
    public Map<String, Object> ecsDeployRevision(DeployArguments a) {
        EcsClient ecs = clients.apply(a.aws()).ecs();
        if (a.promotes()) {
            EcsClient source = a.imagesFromRegion() == null ? ecs : clients.apply(a.sourceAccess()).ecs();
            Promote promote = new Promote(source, ecs, new WaitForStable(ecs, scheduler), scheduler, log);
            PromotionPlan plan = promote.plan(a.promotionRequest());
            if (a.dryRun() || plan.changesNothing()) {
                return promotionResult(promote.dryRun(plan), !plan.changesNothing());
            }
            return deployedPromotion(promote, plan);
        }
        DeployRequest request = a.deployRequest();
        DeployResult r = new DeployRevision(ecs, log).deploy(request);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cluster", r.cluster());
        out.put("service", r.service());
        out.put("previousTaskDefinitionArn", r.previousTaskDefinitionArn());
        out.put("taskDefinitionArn", r.taskDefinitionArn());
        out.put("deploymentId", r.deploymentId());
        out.put("changed", r.changed());
        out.put("registeredRevision", r.registeredRevision());
        return out;
    }

    /** Registers and deploys the promotion without waiting: in a pipeline, waiting is waitForServiceStable's job. */
    private static Map<String, Object> deployedPromotion(Promote promote, PromotionPlan plan) {
        DeployResult deployed = promote.start(plan);
        Map<String, Object> out = promotionResult(promote.dryRun(plan), true);
        out.put("taskDefinitionArn", deployed.taskDefinitionArn());
        out.put("deploymentId", deployed.deploymentId());
        out.put("registeredRevision", true);
        out.put("outcome", "DEPLOYED");
        return out;
    }

    private static Map<String, Object> promotionResult(PromotionResult r, boolean changes) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cluster", r.target().cluster());
        out.put("service", r.target().service());
        out.put("sourceTaskDefinitionArn", r.sourceTaskDefinitionArn());
        out.put("previousTaskDefinitionArn", r.targetPreviousTaskDefinitionArn());
        out.put("taskDefinitionArn", r.targetNewTaskDefinitionArn());
        out.put("deploymentId", null);
        out.put("changed", changes);
        out.put("registeredRevision", false);
        out.put("outcome", changes ? r.outcome().name() : PromotionResult.Outcome.UNCHANGED.name());
        List<Map<String, String>> images = new ArrayList<>();
        r.images().forEach(i -> {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("container", i.container());
            m.put("from", i.from());
            m.put("to", i.to());
            images.add(m);
        });
        out.put("images", images);
        out.put("environmentChanges", new ArrayList<>(r.environmentChanges()));
        out.put("diff", r.diff());
        return out;
    }

    /** The result map of a wait, or the failure that ends the step with the reasons. */
    public static Map<String, Object> waitResult(WaitResult r) {
        if (!r.succeeded()) {
            throw new OperationFailedException(r.describe());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("outcome", r.outcome().name());
        out.put("cluster", r.cluster());
        out.put("service", r.service());
        out.put("deploymentId", r.deploymentId());
        out.put("taskDefinitionArn", r.taskDefinitionArn());
        out.put("seconds", r.elapsed().toSeconds());
        return out;
    }

    /** The step's failure after a rollback: what failed (as kept across a restart) and where the service is now. */
    public static OperationFailedException rolledBack(String failure, RolloutResult r) {
        return new OperationFailedException(failure + "\n" + (r.outcome() == RolloutResult.Outcome.ROLLED_BACK
                ? "Rolled back: the service runs " + TaskDefinitions.shortName(r.rolledBackTo()) + " again."
                : "The rollback to " + TaskDefinitions.shortName(r.rolledBackTo()) + " failed too: " + r.rollbackWait().describe()));
    }

    /**
     * {@code waitForServiceStable}, blocking the caller (the library's tests; the plugin runs the same
     * {@link ResumableWait} without a thread).
     */
    public Map<String, Object> waitForServiceStable(Map<String, ?> arguments) {
        return waitForServiceStable(WaitArguments.of(arguments));
    }

    /** As {@link #waitForServiceStable(Map)}, with the arguments checked. */
    public Map<String, Object> waitForServiceStable(WaitArguments arguments) {
        WaitStepState state = ResumableWait.newState(arguments, scheduler.clock());
        EcsClient ecs = clients.apply(arguments.aws()).ecs();
        CompletableFuture<Map<String, Object>> done = new CompletableFuture<>();
        new ResumableWait(arguments, state, ecs, new WaitForStable(ecs, scheduler), scheduler, log, new ResumableWait.Outcome() {
            @Override
            public CompletableFuture<?> saveState() {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void succeeded(Map<String, Object> result) {
                done.complete(result);
            }

            @Override
            public void failed(RuntimeException error) {
                done.completeExceptionally(error);
            }
        }).resume();
        return scheduler.await(done);
    }

    /**
     * {@code ecsServiceState}: what a service runs right now, as ECS reports it (read-only, one DescribeServices call),
     * for a job to say where a service is after a failure rather than what was meant to happen.
     */
    public Map<String, Object> ecsServiceState(Map<String, ?> arguments) {
        return ecsServiceState(ServiceStateArguments.of(arguments));
    }

    /** As {@link #ecsServiceState(Map)}, with the arguments checked. */
    public Map<String, Object> ecsServiceState(ServiceStateArguments a) {
        ServiceSnapshot s = ServiceSnapshot.read(clients.apply(a.aws()).ecs(), a.cluster(), a.service());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cluster", s.cluster());
        out.put("service", s.service());
        out.put("taskDefinitionArn", s.taskDefinitionArn());
        out.put("settled", s.settled());
        ServiceSnapshot.DeploymentState primary = s.primary();
        out.put("rolloutState", primary == null ? null : primary.rolloutState());
        out.put("running", primary == null ? 0 : primary.running());
        out.put("desired", primary == null ? 0 : primary.desired());
        List<Map<String, Object>> deployments = new ArrayList<>();
        for (ServiceSnapshot.DeploymentState d : s.deployments()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", d.id());
            m.put("status", d.status());
            m.put("rolloutState", d.rolloutState());
            m.put("taskDefinitionArn", d.taskDefinitionArn());
            m.put("running", d.running());
            m.put("desired", d.desired());
            m.put("failedTasks", d.failedTasks());
            deployments.add(m);
        }
        out.put("deployments", deployments);
        out.put("summary", s.summary());
        return out;
    }

    /** The installation sections the file has, as plain maps under the file's own keys (null members left out). */
    @SuppressWarnings("unchecked")
    private static void installation(Installation inst, Map<String, Object> into) {
        Map<String, Object> sections = new com.fasterxml.jackson.databind.ObjectMapper()
                .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                .convertValue(inst, new com.fasterxml.jackson.core.type.TypeReference<LinkedHashMap<String, Object>>() { });
        if (inst.capacity() != null && inst.capacity().scaling() != null && inst.capacity().scaling().none()) {
            ((Map<String, Object>) sections.get("capacity")).put("scaling", "none");
        }
        into.putAll(sections);
    }

    /**
     * {@code jitsiEnvironments}: the environments file as plain maps, for pipelines to find clusters and services
     * (and, where the file has them, the capacity, storage, loadBalancer and dns sections).
     */
    public static Map<String, Object> jitsiEnvironments(Map<String, ?> arguments) {
        return jitsiEnvironments(new StepArguments("jitsiEnvironments", arguments, Set.of("yaml")).requiredText("yaml"));
    }

    /** As {@link #jitsiEnvironments(Map)}, given the file's text. */
    public static Map<String, Object> jitsiEnvironments(String yaml) {
        Environments e = Environments.parse("the environments given to jitsiEnvironments",
                StepArguments.required("jitsiEnvironments", "yaml", yaml));
        Map<String, Object> environments = new LinkedHashMap<>();
        e.environments().forEach((name, env) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("region", env.region());
            m.put("cluster", env.cluster());
            m.put("efsFileSystemId", env.efsFileSystemId());
            Map<String, Object> services = new LinkedHashMap<>();
            env.services().forEach((key, s) -> {
                Map<String, Object> sm = new LinkedHashMap<>();
                sm.put("service", s.serviceName());
                List<String> urls = new ArrayList<>();
                s.urls().forEach(u -> urls.add(u.toString()));
                sm.put("urls", urls);
                services.put(key, sm);
            });
            m.put("services", services);
            installation(env.installation(), m);
            if (env.xmpp() != null) {
                Map<String, Object> xmpp = new LinkedHashMap<>();
                xmpp.put("endpoint", env.xmpp().endpoint());
                xmpp.put("domain", env.xmpp().domain());
                xmpp.put("admin", env.xmpp().admin());
                m.put("xmpp", xmpp);
            }
            if (env.watermark() != null) {
                Map<String, Object> watermark = new LinkedHashMap<>();
                watermark.put("service", env.watermark().service());
                watermark.put("serviceName", env.service(env.watermark().service()).serviceName());
                watermark.put("container", env.watermark().container());
                watermark.put("dir", env.watermark().dir());
                m.put("watermark", watermark);
            }
            environments.put(name, m);
        });
        Map<String, Object> promotion = new LinkedHashMap<>();
        e.promotion().forEach((key, rules) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("environmentVariables", new ArrayList<>(rules.environmentVariables()));
            m.put("ignoreContainers", new ArrayList<>(rules.ignoreContainers()));
            promotion.put(key, m);
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("environments", environments);
        out.put("promotion", promotion);
        return out;
    }

    /** Where {@code verifyEnvironments} puts its reports: the workspace, wherever that is. */
    public interface ReportWriter {
        /**
         * Before any check runs: makes {@code relativeName} ready (its folder created) or refuses it (a link, a folder,
         * a way out of the workspace) with bad input, as {@link events.jitsi.core.verify.ReportFiles#prepare} does.
         */
        void prepare(String relativeName, String argument) throws IOException;

        /** Writes {@code text} (UTF-8) at {@code relativeName}, a name already prepared, never through a link. */
        void write(String relativeName, String text) throws IOException;
    }

    /** Reports into {@code workspace}, a folder of this machine (the agent's, in the plugin). */
    public static ReportWriter reportsIn(Path workspace) {
        return new ReportWriter() {
            @Override
            public void prepare(String relativeName, String argument) {
                events.jitsi.core.verify.ReportFiles.prepare(workspace.resolve(relativeName), argument, null, workspace);
            }

            @Override
            public void write(String relativeName, String text) throws IOException {
                events.jitsi.core.verify.ReportFiles.write(workspace.resolve(relativeName), text);
            }
        };
    }

    /** {@code verifyEnvironments} with Pipeline-style named arguments (the shared library's tests). */
    public Map<String, Object> verifyEnvironments(Map<String, ?> arguments, ReportWriter reports) {
        return verifyEnvironments(VerifyArguments.of(arguments), reports);
    }

    /** {@code verifyEnvironments}: the read-only checks; the {@code junit} and {@code html} reports are handed to {@code reports}. */
    public Map<String, Object> verifyEnvironments(VerifyArguments a, ReportWriter reports) {
        String junit = a.junit();
        String html = a.html();
        try {
            if (junit != null) {
                reports.prepare(junit, "verifyEnvironments: 'junit'");
            }
            if (html != null) {
                reports.prepare(html, "verifyEnvironments: 'html'");
            }
        } catch (IOException e) {
            throw new InvalidInputException("verifyEnvironments: the reports' folder in the workspace cannot be used: " + e.getMessage());
        }
        Environments config = a.environments() != null
                ? Environments.parse("the environments given to verifyEnvironments", a.environments()) : Environments.defaults();
        AwsAccess access = a.aws();
        Duration urlTimeout = a.urlTimeoutDuration();
        HttpClient http = HttpClient.newBuilder().connectTimeout(urlTimeout).followRedirects(HttpClient.Redirect.NORMAL).build();
        // An environment's own region wins; the step's region is for environments that name none.
        VerificationReport report = new Verify(env -> clients.apply(new AwsAccess(env.region() != null ? env.region() : access.region(),
                access.credentialsId(), access.endpointUrl())), http, urlTimeout).run(config, a.only(), Verify.Section.parse(a.checks()));
        try {
            if (junit != null) {
                reports.write(junit, report.junitXml());
            }
            if (html != null) {
                reports.write(html, VerificationHtml.render(report, scheduler.clock().instant()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("verifyEnvironments: cannot write a report into the workspace: " + e.getMessage(), e);
        }
        log.accept(report.summary().stripTrailing());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("passed", report.passed());
        List<String> failures = new ArrayList<>();
        for (Check c : report.failures()) {
            failures.add(c.environment() + "/" + c.subject() + " " + c.name() + ": " + c.message());
        }
        out.put("failures", failures);
        List<String> errors = new ArrayList<>();
        for (Check c : report.errors()) {
            errors.add(c.environment() + "/" + c.subject() + " " + c.name() + ": " + c.message());
        }
        out.put("errors", errors);
        out.put("checks", report.checks().size());
        out.put("awsCalls", new LinkedHashMap<>(report.awsCalls()));
        out.put("summary", report.summary());
        return out;
    }

    /** {@code jitsiWatermark} the local way, with Pipeline-style named arguments (the shared library's tests). */
    public static Map<String, Object> jitsiWatermark(Map<String, ?> arguments, Path workspace, Consumer<String> log) {
        return jitsiWatermark(WatermarkArguments.of(arguments), workspace, log);
    }

    /**
     * {@code jitsiWatermark}: status, hide, restore or replace in the folder on this machine (the agent), or check a file
     * against the rules without touching any folder (e.g. in a pull request).
     */
    public static Map<String, Object> jitsiWatermark(WatermarkArguments a, Path workspace, Consumer<String> log) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (a.overSsm()) {
            throw new InvalidInputException("jitsiWatermark: via: 'ssm' runs from the controller (jitsiWatermarkOverSsm); this is the "
                    + "local way, on an agent with the EFS mounted.");
        }
        if (a.action().equals("check")) {
            Path file = workspaceFile(a, workspace);
            SvgSafety.Verdict verdict = Watermark.check(file);
            if (!verdict.accepted()) {
                throw new InvalidInputException(a.file() + " would be refused as the watermark:\n  " + String.join("\n  ", verdict.problems()));
            }
            String message = a.file() + " may be served as the watermark"
                    + (verdict.dropped().isEmpty() ? "." : "; left out of the served file (inert): " + String.join(", ", verdict.dropped()) + ".");
            log.accept(message);
            out.put("accepted", true);
            out.put("changed", false);
            out.put("message", message);
            out.put("dropped", new ArrayList<>(verdict.dropped()));
            return out;
        }
        Watermark watermark = new Watermark(Path.of(a.dir() == null ? Watermark.DEFAULT_DIR : a.dir()));
        WatermarkResult r = switch (a.action()) {
            case "status" -> new WatermarkResult("status", false, "", watermark.status());
            case "hide" -> watermark.hide();
            case "restore" -> watermark.restore();
            default -> watermark.replace(workspaceFile(a, workspace));
        };
        return watermarkResult(a.action(), r, log);
    }

    /** A watermark step's result, whichever way it went: what changed, the message, the folder afterwards. */
    private static Map<String, Object> watermarkResult(String action, WatermarkResult r, Consumer<String> log) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("changed", r.changed());
        out.put("message", action.equals("status") ? "Watermark " + r.status().state().name().toLowerCase(java.util.Locale.ROOT) + "."
                : r.message());
        if (action.equals("replace")) {
            out.put("uploadedSha256", r.uploadedSha256());
            out.put("dropped", new ArrayList<>(r.dropped()));
        }
        log.accept(String.valueOf(out.get("message")));
        out.put("state", r.status().state().name());
        out.put("sha256", r.status().sha256());
        out.put("backupSha256", r.status().backupSha256());
        return out;
    }

    /**
     * The workspace file that {@code file} names: a relative name inside the workspace (as for {@code junit}), and,
     * once links are followed, still inside it, so a job parameter cannot make the step read or install a file from
     * elsewhere on the agent.
     */
    private static Path workspaceFile(WatermarkArguments a, Path workspace) {
        String name = StepArguments.required("jitsiWatermark", "file", a.file());
        Path file = workspace.resolve(name);
        try {
            Path root = workspace.toRealPath();
            if (java.nio.file.Files.exists(file) && !file.toRealPath().startsWith(root)) {
                throw new InvalidInputException("jitsiWatermark: 'file' " + name + " is a link that leads out of the workspace; "
                        + "give the SVG itself, checked out into the workspace.");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /**
     * The replacement SVG of a {@code jitsiWatermark} step, read where the workspace is (an agent) with the workspace's
     * rules (inside it, not through a link out of it, a regular file of at most 1 MiB), to be sent from the controller.
     */
    public static byte[] watermarkFile(WatermarkArguments a, Path workspace) {
        return Watermark.readCandidate(workspaceFile(a, workspace));
    }

    /** {@code jitsiWatermark} over SSM with Pipeline-style named arguments (the shared library's tests). */
    public Map<String, Object> jitsiWatermarkOverSsm(Map<String, ?> arguments, Path workspace) {
        return jitsiWatermarkOverSsm(WatermarkArguments.of(arguments), workspace);
    }

    /**
     * {@code jitsiWatermark} with {@code via: 'ssm'}: on the EC2 host that runs the service's web task, through SSM Run
     * Command, from wherever this runs (no agent with the EFS). With replace, {@code file} is read from {@code workspace}.
     */
    public Map<String, Object> jitsiWatermarkOverSsm(WatermarkArguments a, Path workspace) {
        return jitsiWatermarkOverSsm(a, a.action().equals("replace") ? watermarkFile(a, workspace) : null);
    }

    /**
     * As {@link #jitsiWatermarkOverSsm(WatermarkArguments, Path)}, given the replacement's bytes (for replace), read where
     * the workspace is with {@link #watermarkFile}: the plugin reads it on the agent and sends from the controller.
     */
    public Map<String, Object> jitsiWatermarkOverSsm(WatermarkArguments a, byte[] replacement) {
        if (!a.overSsm()) {
            throw new InvalidInputException("jitsiWatermark: this is the way through SSM (via: 'ssm', with cluster and service); "
                    + "give those, or run the local way on an agent with the EFS mounted.");
        }
        RemoteWatermark.Target target = new RemoteWatermark.Target(a.cluster(), a.service(),
                a.container() == null ? Environments.Watermark.DEFAULT_CONTAINER : a.container(),
                a.dir() == null ? Watermark.DEFAULT_DIR : a.dir());
        if (a.action().equals("replace") && replacement == null) {
            throw new InvalidInputException("jitsiWatermark: replace needs the SVG that 'file' names.");
        }
        AwsServices aws = clients.apply(a.aws());
        RemoteWatermark remote = new RemoteWatermark(aws.ecs(), aws.ssm(), scheduler, RemoteWatermark.DEFAULT_TIMEOUT, log);
        WatermarkResult r = switch (a.action()) {
            case "status" -> remote.status(target);
            case "hide" -> remote.hide(target);
            case "restore" -> remote.restore(target);
            default -> remote.replace(target, Path.of(a.file()).getFileName().toString(), replacement);
        };
        return watermarkResult(a.action(), r, log);
    }

    /** {@code prosodyRegister} through prosodyctl (via: 'docker'); the password comes from the credential. */
    public static Map<String, Object> prosodyRegister(Map<String, ?> arguments, String credentialUser, char[] password, String docker,
                                                      Consumer<String> log) {
        return prosodyRegister(ProsodyArguments.of(arguments), credentialUser, password, null, null, docker, log);
    }

    /** {@code prosodyRegister} with Pipeline-style named arguments (the shared library's tests). */
    public static Map<String, Object> prosodyRegister(Map<String, ?> arguments, String credentialUser, char[] password, String adminUser,
                                                      char[] adminPassword, String docker, Consumer<String> log) {
        return prosodyRegister(ProsodyArguments.of(arguments), credentialUser, password, adminUser, adminPassword, docker, log);
    }

    /**
     * {@code prosodyRegister}: over XMPP with the admin's credential ({@code via: 'xmpp'}, the default when an
     * {@code endpoint} is given; no agent needed) or with prosodyctl on the agent ({@code via: 'docker'}). The
     * passwords come from credentials, never from the arguments.
     */
    public static Map<String, Object> prosodyRegister(ProsodyArguments a, String credentialUser, char[] password, String adminUser,
                                                      char[] adminPassword, String docker, Consumer<String> log) {
        String user = a.user() != null ? a.user() : credentialUser;
        AccountResult r;
        if (a.overXmpp()) {
            if (adminUser == null || adminPassword == null) {
                throw new InvalidInputException("prosodyRegister: via: 'xmpp' needs adminCredentialsId, a username/password credential "
                        + "of one of Prosody's admins.");
            }
            XmppAccounts accounts = new XmppAccounts(XmppEndpoint.parse(a.endpoint()), a.domain(), adminUser, adminPassword,
                    XmppAccounts.DEFAULT_TIMEOUT);
            log.accept("prosodyRegister: over XMPP, " + accounts.describe());
            r = a.unregister() ? accounts.unregister(user) : accounts.register(user, password);
        } else {
            ProsodyTarget target = a.container() != null ? ProsodyTarget.container(docker, a.container())
                    : a.cluster() != null ? ProsodyTarget.ofCluster(docker, a.cluster()) : ProsodyTarget.local("prosodyctl");
            ProsodyAccounts accounts = new ProsodyAccounts(target, a.config(), a.domain());
            r = a.unregister() ? accounts.unregister(user) : accounts.register(user, password);
        }
        log.accept(r.message());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("jid", r.jid());
        out.put("action", r.action());
        out.put("existedBefore", r.existedBefore());
        out.put("message", r.message());
        return out;
    }
}
