package events.jitsi.core.verify;

import events.jitsi.core.ecs.DeploymentJudge;
import events.jitsi.core.InvalidInputException;
import events.jitsi.core.aws.AwsErrors;
import events.jitsi.core.aws.AwsServices;
import events.jitsi.core.config.Environments;
import events.jitsi.core.UrlCredentials;
import events.jitsi.core.config.Environments.Environment;
import events.jitsi.core.config.Environments.ServiceConfig;
import events.jitsi.core.ecs.TaskDefinitions;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.Volume;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Read-only checks of environments (the engine behind {@code events-jitsi verify} and the nightly build). The ecs
 * section: each service is ACTIVE, settled on one COMPLETED deployment, runs the newest ACTIVE revision of its family,
 * mounts its environment's EFS file system, and its public URLs answer; and the images that differ between
 * environments. The installation sections, where the environments file has them: capacity (cluster, instances,
 * Auto Scaling group, CPU scaling, scale-in protection), storage (EFS), loadBalancer (routes, target health) and dns.
 */
public final class Verify {
    /** The parts of a verification, as {@code --only} names them. */
    public enum Section {
        ECS("ecs"), CAPACITY("capacity"), STORAGE("storage"), LOAD_BALANCER("loadBalancer"), DNS("dns");

        public static final Set<Section> ALL = Collections.unmodifiableSet(EnumSet.allOf(Section.class));

        private final String key;

        Section(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }

        /** The sections named (e.g. "ecs", "loadBalancer"); none named: all. An unknown name is bad input. */
        public static Set<Section> parse(List<String> names) {
            if (names == null || names.isEmpty()) {
                return ALL;
            }
            Set<Section> out = EnumSet.noneOf(Section.class);
            for (String raw : names) {
                for (String name : raw.split(",")) {
                    String n = name.trim();
                    if (n.isEmpty()) {
                        continue;
                    }
                    out.add(java.util.Arrays.stream(values()).filter(s -> s.key.equalsIgnoreCase(n)).findFirst()
                            .orElseThrow(() -> new InvalidInputException("Unknown verification section '" + n + "'; choose from "
                                    + String.join(",", java.util.Arrays.stream(values()).map(Section::key).toList()) + ".")));
                }
            }
            return out.isEmpty() ? ALL : Collections.unmodifiableSet(out);
        }
    }

    private final Function<Environment, AwsServices> clients;
    private final HttpClient http;
    private final Duration urlTimeout;
    private final Clock clock;

    /** @param clients the AWS clients of an environment (the same object may serve several; calls are counted per environment) */
    public Verify(Function<Environment, AwsServices> clients, HttpClient http, Duration urlTimeout) {
        this(clients, http, urlTimeout, Clock.systemUTC());
    }

    /** @param clock what "now" is, for how long an alarm has lacked data */
    public Verify(Function<Environment, AwsServices> clients, HttpClient http, Duration urlTimeout, Clock clock) {
        this.clients = clients;
        this.http = http;
        this.urlTimeout = urlTimeout;
        this.clock = clock;
    }

    public VerificationReport run(Environments config, List<String> environmentNames) {
        return run(config, environmentNames, Section.ALL);
    }

    public VerificationReport run(Environments config, List<String> environmentNames, Set<Section> sections) {
        List<Environment> environments = environmentNames == null || environmentNames.isEmpty()
                ? List.copyOf(config.environments().values())
                : environmentNames.stream().map(config::environment).toList();
        List<Check> checks = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Map<String, Integer> awsCalls = new LinkedHashMap<>();
        // environment -> service key -> task definition, for the drift report
        Map<String, Map<String, TaskDefinition>> running = new LinkedHashMap<>();
        InstallationChecks installation = new InstallationChecks(config, clients, clock);
        for (Environment env : environments) {
            AwsServices aws = clients.apply(env);
            int before = aws.calls().count();
            if (sections.contains(Section.ECS)) {
                Map<String, TaskDefinition> definitions = new LinkedHashMap<>();
                for (ServiceConfig svc : env.services().values()) {
                    // An error of one service or environment is that service's check that could not run; the rest go on.
                    try {
                        EcsClient ecs = aws.ecs();
                        Service service = describeService(ecs, env, svc, checks);
                        TaskDefinition td = service == null ? null : checkService(ecs, env, svc, service, checks);
                        if (td != null) {
                            definitions.put(svc.key(), td);
                        }
                    } catch (software.amazon.awssdk.core.exception.SdkException e) {
                        checks.add(AwsErrors.notServed(e) != null
                                ? new Check(env.name(), svc.key(), "ecs-readable", Check.Status.SKIPPED, "not checked: " + AwsErrors.notServed(e), 0)
                                : Check.error(env.name(), svc.key(), "ecs-readable", "cannot read " + svc.serviceName() + " in " + env.cluster()
                                + ": " + AwsErrors.describe(e)));
                    }
                    for (URI url : svc.urls()) {
                        checks.add(checkUrl(env, svc, url));
                    }
                }
                running.put(env.name(), definitions);
            }
            installation.run(env, aws, sections, checks, notes);
            awsCalls.put(env.name(), aws.calls().count() - before);
        }
        List<String> names = new ArrayList<>(running.keySet());
        for (int i = 0; i + 1 < names.size(); i++) {
            checks.addAll(drift(names.get(i), running.get(names.get(i)), names.get(i + 1), running.get(names.get(i + 1))));
        }
        return new VerificationReport(List.copyOf(checks), Collections.unmodifiableMap(awsCalls), List.copyOf(notes));
    }

    /**
     * The ECS checks of one service (no URLs, no drift), and that its PRIMARY deployment had no failed tasks: what a
     * promotion requires of its source, so that images still rolling out, or failing, are not copied on.
     */
    public List<Check> sourceChecks(Environments config, String environment, String serviceKey) {
        Environment env = config.environment(environment);
        ServiceConfig svc = env.service(serviceKey);
        EcsClient ecs = clients.apply(env).ecs();
        List<Check> checks = new ArrayList<>();
        Service service = describeService(ecs, env, svc, checks);
        if (service != null && checkService(ecs, env, svc, service, checks) != null) {
            Deployment primary = DeploymentJudge.primary(service);
            int failed = primary == null || primary.failedTasks() == null ? 0 : primary.failedTasks();
            checks.add(failed == 0 ? Check.passed(environment, serviceKey, "no-failed-tasks", "no task of the deployment failed")
                    : Check.failed(environment, serviceKey, "no-failed-tasks", failed + " task(s) of deployment " + primary.id() + " failed"));
        }
        return List.copyOf(checks);
    }

    /** The service, or null with the failed check that says why there is none. */
    private static Service describeService(EcsClient ecs, Environment env, ServiceConfig svc, List<Check> checks) {
        try {
            List<Service> found = ecs.describeServices(d -> d.cluster(env.cluster()).services(svc.serviceName())).services();
            if (found.isEmpty()) {
                checks.add(Check.failed(env.name(), svc.key(), "service-active", "service " + svc.serviceName() + " does not exist in cluster " + env.cluster()));
                return null;
            }
            return found.get(0);
        } catch (ClusterNotFoundException ex) {
            checks.add(Check.failed(env.name(), svc.key(), "service-active", "cluster " + env.cluster() + " does not exist in " + env.where()));
            return null;
        }
    }

    private TaskDefinition checkService(EcsClient ecs, Environment env, ServiceConfig svc, Service service, List<Check> checks) {
        String e = env.name();
        String s = svc.key();
        checks.add("ACTIVE".equals(service.status())
                ? Check.passed(e, s, "service-active", "service " + svc.serviceName() + " in " + env.cluster() + " is ACTIVE")
                : Check.failed(e, s, "service-active", "service " + svc.serviceName() + " in " + env.cluster() + " is " + service.status()));

        List<Deployment> deployments = service.deployments();
        Deployment primary = DeploymentJudge.primary(service);
        if (deployments.size() == 1 && primary != null && (primary.rolloutState() == null || "COMPLETED".equals(primary.rolloutStateAsString()))
                && Objects.equals(primary.runningCount(), primary.desiredCount())) {
            checks.add(Check.passed(e, s, "deployment-settled", "one COMPLETED deployment, " + primary.runningCount() + "/"
                    + primary.desiredCount() + " tasks running"));
        } else {
            String state = deployments.stream().map(d -> d.status() + " " + d.id() + " " + d.rolloutStateAsString() + " running "
                    + d.runningCount() + "/" + d.desiredCount() + " (" + TaskDefinitions.shortName(d.taskDefinition()) + ")")
                    .reduce((a, b) -> a + "; " + b).orElse("no deployments");
            // Since when and why, for whoever reads it in the morning.
            String since = primary == null || primary.createdAt() == null ? "" : " since " + primary.createdAt();
            String why = primary == null || primary.rolloutStateReason() == null ? "" : "; " + primary.rolloutStateReason().replaceFirst("\\.$", "");
            String last = service.events().isEmpty() ? "" : "; last event " + service.events().get(0).createdAt() + ": "
                    + service.events().get(0).message();
            checks.add(Check.failed(e, s, "deployment-settled", "not settled" + since + ": " + state + why + last));
        }

        TaskDefinition td = TaskDefinitions.describe(ecs, service.taskDefinition()).taskDefinition();
        String family = td.family();
        List<String> newest = TaskDefinitions.newestRevisions(ecs, family, 1);
        String runs = TaskDefinitions.shortName(td.taskDefinitionArn());
        if (!newest.isEmpty() && !newest.get(0).equals(runs)) {
            // A newer revision that was never deployed (an interrupted deploy leaves one) stays until someone removes it.
            checks.add(Check.failed(e, s, "newest-revision", "runs " + runs + " but " + newest.get(0) + " is a newer ACTIVE revision: "
                    + "deploy it, or, if it was never deployed, remove it with `events-jitsi revisions --family " + family
                    + " --deregister --include-undeployed --yes`"));
        } else {
            checks.add(Check.passed(e, s, "newest-revision", "runs " + runs + ", the newest ACTIVE revision of " + family));
        }

        if (env.efsFileSystemId() != null) {
            List<String> wrong = new ArrayList<>();
            int efsVolumes = 0;
            for (Volume v : td.volumes()) {
                if (v.efsVolumeConfiguration() != null) {
                    efsVolumes++;
                    if (!env.efsFileSystemId().equals(v.efsVolumeConfiguration().fileSystemId())) {
                        wrong.add("volume " + v.name() + " mounts " + v.efsVolumeConfiguration().fileSystemId());
                    }
                }
            }
            if (efsVolumes == 0) {
                checks.add(new Check(e, s, "efs-file-system", Check.Status.SKIPPED, "not applicable: " + runs + " mounts no EFS volume", 0));
            } else if (!wrong.isEmpty()) {
                checks.add(Check.failed(e, s, "efs-file-system", runs + ": " + String.join(", ", wrong) + " instead of "
                        + env.efsFileSystemId() + " (" + e + "'s file system)"));
            } else {
                checks.add(Check.passed(e, s, "efs-file-system", "all " + efsVolumes + " EFS volumes of " + runs + " mount " + env.efsFileSystemId()));
            }
        }
        return td;
    }

    private Check checkUrl(Environment env, ServiceConfig svc, URI url) {
        String name = "url " + UrlCredentials.shown(url);
        String host = url.getHost().toLowerCase(Locale.ROOT);
        if (host.matches("(.*\\.)?example\\.(org|com|net)") || host.endsWith(".invalid") || host.endsWith(".example")) {
            return new Check(env.name(), svc.key(), name, Check.Status.SKIPPED,
                    "placeholder URL: put the real one in the environments file", 0);
        }
        long start = System.nanoTime();
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(UrlCredentials.withoutUserInfo(url)).timeout(urlTimeout).GET();
            UrlCredentials.basicAuthorization(url).ifPresent(value -> request.header("Authorization", value));
            HttpResponse<Void> r = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            long millis = (System.nanoTime() - start) / 1_000_000;
            String seen = "HTTP " + r.statusCode() + " in " + millis + " ms";
            return (r.statusCode() < 400 ? Check.passed(env.name(), svc.key(), name, seen)
                    : Check.failed(env.name(), svc.key(), name, "answered " + seen)).took(millis);
        } catch (java.net.http.HttpTimeoutException ex) {
            return Check.failed(env.name(), svc.key(), name, "no answer within " + urlTimeout.toMillis() + " ms").took(urlTimeout.toMillis());
        } catch (java.io.IOException ex) {
            long millis = (System.nanoTime() - start) / 1_000_000;
            return Check.failed(env.name(), svc.key(), name, "unreachable: " + ex).took(millis);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return Check.failed(env.name(), svc.key(), name, "interrupted");
        }
    }

    /** Containers whose images differ between two environments, per service both run. */
    private static List<Check> drift(String a, Map<String, TaskDefinition> as, String b, Map<String, TaskDefinition> bs) {
        List<Check> checks = new ArrayList<>();
        for (Map.Entry<String, TaskDefinition> e : as.entrySet()) {
            TaskDefinition other = bs.get(e.getKey());
            if (other == null) {
                continue;
            }
            Map<String, String> otherImages = new LinkedHashMap<>();
            other.containerDefinitions().forEach(c -> otherImages.put(c.name(), c.image()));
            List<String> differences = new ArrayList<>();
            for (ContainerDefinition c : e.getValue().containerDefinitions()) {
                String image = otherImages.remove(c.name());
                if (image == null) {
                    differences.add(c.name() + ": only in " + a);
                } else if (!image.equals(c.image())) {
                    differences.add(c.name() + ": " + a + " " + c.image() + ", " + b + " " + image);
                }
            }
            otherImages.keySet().forEach(n -> differences.add(n + ": only in " + b));
            String name = "image-drift " + a + "-" + b;
            checks.add(differences.isEmpty()
                    ? Check.passed(a + "-" + b, e.getKey(), name, "same images in " + a + " and " + b)
                    : Check.failed(a + "-" + b, e.getKey(), name, String.join("; ", differences)));
        }
        return checks;
    }
}
