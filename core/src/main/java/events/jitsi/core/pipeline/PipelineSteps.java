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
import events.jitsi.core.ecs.PromotionRequest;
import events.jitsi.core.ecs.PromotionRules;
import events.jitsi.core.ecs.PromotionResult;
import events.jitsi.core.ecs.ServiceRef;
import events.jitsi.core.ecs.WaitForStable;
import events.jitsi.core.ecs.WaitRequest;
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
 * The Pipeline steps' semantics, over the engine: named arguments in, a small map of plain values out. The Jenkins
 * plugin binds its Step classes to these methods, and the shared library's tests bind the same step names to them, so
 * both agree on every argument name, default and result key.
 */
public final class PipelineSteps {
    static final Set<String> AWS = Set.of("region", "credentialsId", "endpointUrl");
    public static final Set<String> DEPLOY_ARGUMENTS = with(AWS, "cluster", "service", "revision", "taskDefinition", "images",
            "imagesFromCluster", "imagesFromService", "imagesFromRegion", "copyEnvironment", "ignoreContainers", "expectSourceTaskDefinition", "expectTaskDefinition",
            "forceNewDeployment", "desiredCount", "dryRun", "allowFamilyChange", "force");
    public static final Set<String> WAIT_ARGUMENTS = with(AWS, "cluster", "service", "deploymentId", "timeout", "rollbackTimeout",
            "rollbackOnFailure", "rollbackTo", "deregisterFailedRevision");
    public static final Set<String> SERVICE_STATE_ARGUMENTS = with(AWS, "cluster", "service");
    public static final Set<String> VERIFY_ARGUMENTS = with(AWS, "environments", "only", "checks", "junit", "html", "urlTimeout");
    public static final Set<String> ENVIRONMENTS_ARGUMENTS = Set.of("yaml");
    public static final Set<String> WATERMARK_ARGUMENTS = with(AWS, "action", "file", "dir", "via", "cluster", "service", "container");
    /** How long the host may take to answer a watermark command sent through SSM. */
    static final java.time.Duration SSM_TIMEOUT = java.time.Duration.ofMinutes(3);
    public static final Set<String> PROSODY_ARGUMENTS = Set.of("credentialsId", "user", "domain", "config", "container", "cluster", "local",
            "unregister", "via", "endpoint", "adminCredentialsId");
    /** How long one XMPP exchange with Prosody may take. */
    static final java.time.Duration XMPP_TIMEOUT = java.time.Duration.ofSeconds(30);

    private final Function<AwsAccess, AwsServices> clients;
    private final Scheduler scheduler;
    private final Consumer<String> log;

    /** @param clients the AWS clients of an access; the caller owns (and closes) them */
    public PipelineSteps(Function<AwsAccess, AwsServices> clients, Scheduler scheduler, Consumer<String> log) {
        this.clients = clients;
        this.scheduler = scheduler;
        this.log = log;
    }

    private static Set<String> with(Set<String> base, String... names) {
        Set<String> s = new java.util.HashSet<>(base);
        s.addAll(List.of(names));
        return Set.copyOf(s);
    }

    private static AwsAccess access(StepArguments a) {
        return new AwsAccess(a.text("region"), a.text("credentialsId"), a.text("endpointUrl"));
    }

    /** {@code ecsDeployRevision}: all deploy modes, and with {@code imagesFrom} the promotion (dry or not). */
    public Map<String, Object> ecsDeployRevision(Map<String, ?> arguments) {
        StepArguments a = new StepArguments("ecsDeployRevision", arguments, DEPLOY_ARGUMENTS);
        String cluster = a.requiredText("cluster");
        String service = a.requiredText("service");
        AwsAccess access = access(a);
        EcsClient ecs = clients.apply(access).ecs();
        if (a.has("imagesFromCluster") || a.has("imagesFromService") || a.has("imagesFromRegion")) {
            if (a.has("revision") || a.has("taskDefinition") || a.has("images") || a.flag("allowFamilyChange") || a.flag("force")) {
                throw new InvalidInputException("ecsDeployRevision: imagesFromCluster/imagesFromService take the images from another "
                        + "service; do not also give revision, taskDefinition, images, allowFamilyChange or force.");
            }
            String fromCluster = a.requiredText("imagesFromCluster");
            String fromService = a.requiredText("imagesFromService");
            String fromRegion = a.text("imagesFromRegion");
            EcsClient source = fromRegion == null ? ecs : clients.apply(new AwsAccess(fromRegion, access.credentialsId(), access.endpointUrl())).ecs();
            Promote promote = new Promote(source, ecs, new WaitForStable(ecs, scheduler), scheduler, log);
            PromotionPlan plan = promote.plan(new PromotionRequest(fromCluster + "/" + fromService,
                    new ServiceRef(fromCluster, fromService), cluster + "/" + service,
                    new ServiceRef(cluster, service),
                    new PromotionRules(a.strings("copyEnvironment"), a.strings("ignoreContainers")),
                    a.text("expectSourceTaskDefinition"), a.text("expectTaskDefinition")));
            if (a.flag("dryRun") || plan.changesNothing()) {
                return promotionResult(promote.dryRun(plan), !plan.changesNothing());
            }
            return deployedPromotion(promote, plan);
        }
        DeployRequest request = new DeployRequest(cluster, service, a.integer("revision"), a.text("taskDefinition"),
                a.containerImages("images"), a.flag("forceNewDeployment"), a.integer("desiredCount"), a.flag("allowFamilyChange"),
                a.flag("force"));
        if (a.flag("dryRun")) {
            throw new InvalidInputException("ecsDeployRevision: dryRun is for promotions (imagesFromCluster/imagesFromService); "
                    + "a plain deploy shows what it does in its result.");
        }
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

    /** The wait request of {@code waitForServiceStable}; the plugin runs it without holding a thread. */
    public static WaitRequest waitRequest(Map<String, ?> arguments) {
        StepArguments a = new StepArguments("waitForServiceStable", arguments, WAIT_ARGUMENTS);
        checkRollbackArguments(a);
        return new WaitRequest(a.requiredText("cluster"), a.requiredText("service"), a.text("deploymentId"), a.minutes("timeout"));
    }

    /** How long the rollback may take, in minutes like {@code timeout}; default: the same as {@code timeout}. */
    public static Duration rollbackTimeout(Map<String, ?> arguments) {
        StepArguments a = new StepArguments("waitForServiceStable", arguments, WAIT_ARGUMENTS);
        Duration rollback = a.minutes("rollbackTimeout");
        return rollback != null ? rollback : waitRequest(arguments).timeout();
    }

    public static AwsAccess waitAccess(Map<String, ?> arguments) {
        return access(new StepArguments("waitForServiceStable", arguments, WAIT_ARGUMENTS));
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

    /**
     * What to do when the wait fails: null for nothing, else the deploy to roll back (the task definition to put back
     * and whether the failed revision was registered for this deploy).
     */
    public static DeployResult rollbackOf(Map<String, ?> arguments, WaitResult failed) {
        StepArguments a = new StepArguments("waitForServiceStable", arguments, WAIT_ARGUMENTS);
        if (!a.flag("rollbackOnFailure")) {
            return null;
        }
        return new DeployResult(failed.cluster(), failed.service(), a.requiredText("rollbackTo"), failed.taskDefinitionArn(),
                failed.deploymentId(), true, a.flag("deregisterFailedRevision"));
    }

    /** Checks the arguments before anything runs: rollbackOnFailure needs rollbackTo. */
    static void checkRollbackArguments(StepArguments a) {
        if (a.flag("rollbackOnFailure") && !a.has("rollbackTo")) {
            throw new InvalidInputException("waitForServiceStable: rollbackOnFailure needs rollbackTo, the task definition to put back "
                    + "(the previousTaskDefinitionArn that ecsDeployRevision returned).");
        }
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
        WaitStepState state = ResumableWait.newState(arguments, scheduler.clock());
        EcsClient ecs = clients.apply(waitAccess(arguments)).ecs();
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
        StepArguments a = new StepArguments("ecsServiceState", arguments, SERVICE_STATE_ARGUMENTS);
        ServiceSnapshot s = ServiceSnapshot.read(clients.apply(access(a)).ecs(), a.requiredText("cluster"), a.requiredText("service"));
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
        StepArguments a = new StepArguments("jitsiEnvironments", arguments, ENVIRONMENTS_ARGUMENTS);
        Environments e = Environments.parse("the environments given to jitsiEnvironments", a.requiredText("yaml"));
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

    /** {@code verifyEnvironments}: the read-only checks; the {@code junit} and {@code html} reports are handed to {@code reports}. */
    public Map<String, Object> verifyEnvironments(Map<String, ?> arguments, ReportWriter reports) {
        StepArguments a = new StepArguments("verifyEnvironments", arguments, VERIFY_ARGUMENTS);
        String junit = a.relativeFile("junit");
        String html = a.relativeFile("html");
        if (junit != null && junit.equals(html)) {
            throw new InvalidInputException("verifyEnvironments: junit and html name the same file '" + junit + "'; give each report its own.");
        }
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
        Environments config = a.has("environments")
                ? Environments.parse("the environments given to verifyEnvironments", a.text("environments")) : Environments.defaults();
        AwsAccess access = access(a);
        Integer seconds = a.integer("urlTimeout");
        Duration urlTimeout = Duration.ofSeconds(seconds == null ? 5 : seconds);
        HttpClient http = HttpClient.newBuilder().connectTimeout(urlTimeout).followRedirects(HttpClient.Redirect.NORMAL).build();
        // An environment's own region wins; the step's region is for environments that name none.
        VerificationReport report = new Verify(env -> clients.apply(new AwsAccess(env.region() != null ? env.region() : access.region(),
                access.credentialsId(), access.endpointUrl())), http, urlTimeout).run(config, a.strings("only"), Verify.Section.parse(a.strings("checks")));
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

    /**
     * {@code jitsiWatermark}: status, hide, restore or replace in the folder on this machine (the agent), or check a file
     * against the rules without touching any folder (e.g. in a pull request).
     */
    public static Map<String, Object> jitsiWatermark(Map<String, ?> arguments, Path workspace, Consumer<String> log) {
        StepArguments a = new StepArguments("jitsiWatermark", arguments, WATERMARK_ARGUMENTS);
        String action = a.text("action") == null ? "status" : a.text("action");
        Map<String, Object> out = new LinkedHashMap<>();
        if (!action.equals("check") && "ssm".equals(watermarkVia(a))) {
            throw new InvalidInputException("jitsiWatermark: via: 'ssm' runs from the controller (jitsiWatermarkOverSsm); this is the "
                    + "local way, on an agent with the EFS mounted.");
        }
        for (String ssmOnly : List.of("cluster", "service", "container", "region", "credentialsId", "endpointUrl")) {
            if (a.has(ssmOnly) && !action.equals("check")) {
                throw new InvalidInputException("jitsiWatermark: " + ssmOnly + " is for via: 'ssm'; with via: 'local' give dir.");
            }
        }
        if (action.equals("check")) {
            Path file = workspaceFile(a, workspace);
            SvgSafety.Verdict verdict = Watermark.check(file);
            if (!verdict.accepted()) {
                throw new InvalidInputException(a.text("file") + " would be refused as the watermark:\n  " + String.join("\n  ", verdict.problems()));
            }
            String message = a.text("file") + " may be served as the watermark"
                    + (verdict.dropped().isEmpty() ? "." : "; left out of the served file (inert): " + String.join(", ", verdict.dropped()) + ".");
            log.accept(message);
            out.put("accepted", true);
            out.put("changed", false);
            out.put("message", message);
            out.put("dropped", new ArrayList<>(verdict.dropped()));
            return out;
        }
        Watermark watermark = new Watermark(Path.of(a.text("dir") == null ? Watermark.DEFAULT_DIR : a.text("dir")));
        if (!List.of("status", "hide", "restore", "replace").contains(action)) {
            throw new InvalidInputException("jitsiWatermark: action must be status, hide, restore, replace or check, not '" + action + "'.");
        }
        if (action.equals("replace") != a.has("file")) {
            throw new InvalidInputException("jitsiWatermark: 'file' goes with action: 'replace' (or 'check') and only with it.");
        }
        WatermarkResult r = switch (action) {
            case "status" -> new WatermarkResult("status", false, "", watermark.status());
            case "hide" -> watermark.hide();
            case "restore" -> watermark.restore();
            default -> watermark.replace(workspaceFile(a, workspace));
        };
        return watermarkResult(action, r, log);
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
    private static Path workspaceFile(StepArguments a, Path workspace) {
        a.requiredText("file");
        String name = a.relativeFile("file", "branding/watermark.svg");
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

    /** Which way jitsiWatermark goes: the argument, else ssm when cluster and service are given, else local. */
    public static String watermarkVia(Map<String, ?> arguments) {
        return watermarkVia(new StepArguments("jitsiWatermark", arguments, WATERMARK_ARGUMENTS));
    }

    private static String watermarkVia(StepArguments a) {
        String via = a.text("via");
        if (via == null) {
            return a.has("cluster") && a.has("service") ? "ssm" : "local";
        }
        if (!via.equals("ssm") && !via.equals("local")) {
            throw new InvalidInputException("jitsiWatermark: via is '" + via + "'; give 'ssm' (Run Command on the host that runs the web "
                    + "task, no agent) or 'local' (on an agent with the EFS mounted).");
        }
        return via;
    }

    /**
     * The replacement SVG of a {@code jitsiWatermark} step, read where the workspace is (an agent) with the workspace's
     * rules (inside it, not through a link out of it, a regular file of at most 1 MiB), to be sent from the controller.
     */
    public static byte[] watermarkFile(Map<String, ?> arguments, Path workspace) {
        StepArguments a = new StepArguments("jitsiWatermark", arguments, WATERMARK_ARGUMENTS);
        return Watermark.readCandidate(workspaceFile(a, workspace));
    }

    /**
     * {@code jitsiWatermark} with {@code via: 'ssm'}: on the EC2 host that runs the service's web task, through SSM Run
     * Command, from wherever this runs (no agent with the EFS). With replace, {@code file} is read from {@code workspace}.
     */
    public Map<String, Object> jitsiWatermarkOverSsm(Map<String, ?> arguments, Path workspace) {
        StepArguments a = new StepArguments("jitsiWatermark", arguments, WATERMARK_ARGUMENTS);
        String action = a.text("action") == null ? "status" : a.text("action");
        if (!List.of("status", "hide", "restore", "replace").contains(action)) {
            throw new InvalidInputException("jitsiWatermark: over SSM the action is status, hide, restore or replace, not '" + action
                    + "' (check needs no host: give it without via)." );
        }
        if (action.equals("replace") != a.has("file")) {
            throw new InvalidInputException("jitsiWatermark: 'file' goes with action: 'replace' (or 'check') and only with it.");
        }
        RemoteWatermark.Target target = new RemoteWatermark.Target(a.requiredText("cluster"), a.requiredText("service"),
                a.text("container") == null ? Environments.Watermark.DEFAULT_CONTAINER : a.text("container"),
                a.text("dir") == null ? Watermark.DEFAULT_DIR : a.text("dir"));
        Path file = action.equals("replace") ? workspaceFile(a, workspace) : null;
        AwsServices aws = clients.apply(access(a));
        RemoteWatermark remote = new RemoteWatermark(aws.ecs(), aws.ssm(), scheduler, SSM_TIMEOUT, log);
        WatermarkResult r = switch (action) {
            case "status" -> remote.status(target);
            case "hide" -> remote.hide(target);
            case "restore" -> remote.restore(target);
            default -> remote.replace(target, file);
        };
        return watermarkResult(action, r, log);
    }

    /** Which way prosodyRegister goes: the argument, else xmpp when an endpoint is given, else docker. */
    public static String prosodyVia(Map<String, ?> arguments) {
        return prosodyVia(new StepArguments("prosodyRegister", arguments, PROSODY_ARGUMENTS));
    }

    private static String prosodyVia(StepArguments a) {
        String via = a.text("via");
        if (via == null) {
            return a.has("endpoint") ? "xmpp" : "docker";
        }
        if (!via.equals("xmpp") && !via.equals("docker")) {
            throw new InvalidInputException("prosodyRegister: via is '" + via + "'; give 'xmpp' (the meeting's XMPP endpoint, no agent) or "
                    + "'docker' (prosodyctl in the container, on an agent that is one of the cluster's hosts).");
        }
        return via;
    }

    /** {@code prosodyRegister} through prosodyctl (via: 'docker'); the password comes from the credential. */
    public static Map<String, Object> prosodyRegister(Map<String, ?> arguments, String credentialUser, char[] password, String docker,
                                                      Consumer<String> log) {
        return prosodyRegister(arguments, credentialUser, password, null, null, docker, log);
    }

    /**
     * {@code prosodyRegister}: over XMPP with the admin's credential ({@code via: 'xmpp'}, the default when an
     * {@code endpoint} is given; no agent needed) or with prosodyctl on the agent ({@code via: 'docker'}). The
     * passwords come from credentials, never from the arguments.
     */
    public static Map<String, Object> prosodyRegister(Map<String, ?> arguments, String credentialUser, char[] password, String adminUser,
                                                      char[] adminPassword, String docker, Consumer<String> log) {
        StepArguments a = new StepArguments("prosodyRegister", arguments, PROSODY_ARGUMENTS);
        String user = a.text("user") != null ? a.text("user") : credentialUser;
        String via = prosodyVia(a);
        AccountResult r;
        if ("xmpp".equals(via)) {
            for (String dockerOnly : List.of("container", "cluster", "config")) {
                if (a.has(dockerOnly)) {
                    throw new InvalidInputException("prosodyRegister: " + dockerOnly + " is for via: 'docker'; over XMPP give endpoint, "
                            + "domain and adminCredentialsId.");
                }
            }
            if (a.text("endpoint") == null) {
                throw new InvalidInputException("prosodyRegister: via: 'xmpp' needs endpoint, the meeting's XMPP endpoint such as "
                        + "wss://meet.example.org/xmpp-websocket (the environments file's xmpp.endpoint).");
            }
            if (adminUser == null || adminPassword == null) {
                throw new InvalidInputException("prosodyRegister: via: 'xmpp' needs adminCredentialsId, a username/password credential "
                        + "of one of Prosody's admins.");
            }
            XmppAccounts accounts = new XmppAccounts(XmppEndpoint.parse(a.text("endpoint")), a.text("domain"), adminUser, adminPassword,
                    XMPP_TIMEOUT);
            log.accept("prosodyRegister: over XMPP, " + accounts.describe());
            r = a.flag("unregister") ? accounts.unregister(user) : accounts.register(user, password);
        } else {
            if (a.has("endpoint") || a.has("adminCredentialsId")) {
                throw new InvalidInputException("prosodyRegister: endpoint and adminCredentialsId are for via: 'xmpp'.");
            }
            int places = (a.has("container") ? 1 : 0) + (a.has("cluster") ? 1 : 0) + (a.flag("local") ? 1 : 0);
            if (places != 1) {
                throw new InvalidInputException("prosodyRegister: say where prosodyctl runs with exactly one of container, cluster and local: true.");
            }
            ProsodyTarget target = a.has("container") ? ProsodyTarget.container(docker, a.text("container"))
                    : a.has("cluster") ? ProsodyTarget.ofCluster(docker, a.text("cluster")) : ProsodyTarget.local("prosodyctl");
            ProsodyAccounts accounts = new ProsodyAccounts(target, a.text("config"), a.text("domain"));
            r = a.flag("unregister") ? accounts.unregister(user) : accounts.register(user, password);
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
