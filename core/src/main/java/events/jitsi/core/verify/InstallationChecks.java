package events.jitsi.core.verify;

import events.jitsi.core.aws.AwsErrors;
import events.jitsi.core.aws.AwsServices;
import events.jitsi.core.config.Environments;
import events.jitsi.core.config.Environments.Environment;
import events.jitsi.core.config.Installation;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The installation sections of a verification (capacity, storage, loadBalancer, dns) for each environment of one
 * run: which to run, each section's checks or the one failure that says why it could not be read, and the lines for
 * people (sections not checked, the map of the installation). The load balancers' DNS names are read once per run.
 */
final class InstallationChecks {
    private final LoadBalancers loadBalancers;
    private final java.time.Clock clock;

    InstallationChecks(Environments config, Function<Environment, AwsServices> clients, java.time.Clock clock) {
        this.loadBalancers = new LoadBalancers(config, clients);
        this.clock = clock;
    }

    /**
     * The capacity, storage, loadBalancer and dns sections of one environment, each where the file has it and it was
     * chosen; one note says which were not checked, one maps the installation. A section whose AWS calls fail (no
     * permission, an unreachable service) is one failed check; the other sections still run.
     */
    void run(Environment env, AwsServices aws, Set<Verify.Section> sections, List<Check> checks, List<String> notes) {
        Installation inst = env.installation();
        Map<Verify.Section, Boolean> present = new LinkedHashMap<>();
        present.put(Verify.Section.CAPACITY, inst.capacity() != null);
        present.put(Verify.Section.STORAGE, inst.storage() != null);
        present.put(Verify.Section.LOAD_BALANCER, inst.loadBalancer() != null);
        present.put(Verify.Section.DNS, inst.dns() != null);
        List<String> absent = present.entrySet().stream().filter(p -> !p.getValue()).map(p -> p.getKey().key()).toList();
        List<String> unchosen = present.entrySet().stream().filter(p -> p.getValue() && !sections.contains(p.getKey())).map(p -> p.getKey().key()).toList();
        if (!absent.isEmpty() || !unchosen.isEmpty()) {
            notes.add(env.name() + ": not checked: " + String.join("; ", java.util.stream.Stream.of(
                    absent.isEmpty() ? null : String.join(", ", absent) + " (not in the environments file)",
                    unchosen.isEmpty() ? null : String.join(", ", unchosen) + " (not chosen: --only, or checks: in a Pipeline)").filter(Objects::nonNull).toList()));
        }
        boolean capacity = present.get(Verify.Section.CAPACITY) && sections.contains(Verify.Section.CAPACITY);
        boolean storage = present.get(Verify.Section.STORAGE) && sections.contains(Verify.Section.STORAGE);
        boolean loadBalancer = present.get(Verify.Section.LOAD_BALANCER) && sections.contains(Verify.Section.LOAD_BALANCER);
        boolean dns = present.get(Verify.Section.DNS) && sections.contains(Verify.Section.DNS);
        if (!capacity && !storage && !loadBalancer && !dns) {
            return;
        }
        ClusterInstances cluster = null;
        if (capacity || storage) {
            cluster = guarded(env, "cluster", "instances", checks, () -> ClusterInstances.read(aws, env.cluster()));
        }
        java.util.Set<String> protectedInstances = new java.util.HashSet<>();
        if (capacity && cluster != null) {
            ClusterInstances c = cluster;
            addGuarded(env, "autoScalingGroup", "capacity", checks, () -> new CapacityChecks(env, aws, clock).run(c, protectedInstances));
        }
        if (storage && cluster != null) {
            ClusterInstances c = cluster;
            addGuarded(env, "storage", "storage", checks, () -> new StorageChecks(env, aws).run(c));
        }
        Map<String, Set<String>> groupsByInstance = new java.util.TreeMap<>();
        Map<String, Set<String>> hostsByGroup = new java.util.TreeMap<>();
        if (loadBalancer) {
            addGuarded(env, "loadBalancer", "loadBalancer", checks,
                    () -> new LoadBalancerChecks(env, aws).run(() -> loadBalancers.of(env).orElse(null), groupsByInstance, hostsByGroup));
        }
        if (dns) {
            addGuarded(env, "dns", "dns", checks, () -> new DnsChecks(env, aws)
                    .run(loadBalancers.of(env).map(LoadBalancer::dnsName), loadBalancers.whyUnknown(env), loadBalancers.others(env)));
        }
        if (cluster != null && !cluster.hosts().isEmpty()) {
            notes.add(map(env, cluster, protectedInstances, capacity && env.installation().capacity().autoScalingGroup() != null
                    && !Installation.isPlaceholder(env.installation().capacity().autoScalingGroup()), groupsByInstance, hostsByGroup, loadBalancer));
        }
    }

    /** One line: instances (type, zone, protected) -> services -> target groups -> hosts. */
    private static String map(Environment env, ClusterInstances cluster, Set<String> protectedInstances, boolean protectionKnown,
                              Map<String, Set<String>> groupsByInstance, Map<String, Set<String>> hostsByGroup, boolean routesKnown) {
        Map<String, String> keyByServiceName = new LinkedHashMap<>();
        env.services().values().forEach(s -> keyByServiceName.put(s.serviceName(), s.key()));
        List<String> parts = new ArrayList<>();
        for (ClusterInstances.Host h : cluster.hosts()) {
            StringBuilder sb = new StringBuilder(h.instanceId()).append(" (").append(h.type()).append(", ").append(h.zone());
            if (protectionKnown) {
                sb.append(protectedInstances.contains(h.instanceId()) ? ", protected" : ", not protected");
            }
            sb.append(") -> ").append(h.services().isEmpty() ? "no service" : String.join(", ",
                    h.services().stream().map(n -> keyByServiceName.getOrDefault(n, n)).toList()));
            if (routesKnown) {
                Set<String> groups = groupsByInstance.getOrDefault(h.instanceId(), Set.of());
                sb.append(" -> ").append(groups.isEmpty() ? "no target group" : String.join(", ", groups.stream()
                        .map(g -> g + " -> " + String.join(", ", hostsByGroup.getOrDefault(g, Set.of()))).toList()));
            }
            parts.add(sb.toString());
        }
        return env.name() + " map: " + String.join("; ", parts);
    }

    /** The checks of one section, or the one failed check that says why they could not be made. */
    private static void addGuarded(Environment env, String subject, String section, List<Check> checks,
                                   java.util.function.Supplier<List<Check>> work) {
        List<Check> found = guarded(env, subject, section, checks, work);
        if (found != null) {
            checks.addAll(found);
        }
    }

    /** The result of {@code work}, or null with one failed check saying which AWS call failed and why. */
    private static <T> T guarded(Environment env, String subject, String section, List<Check> checks, java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            checks.add(AwsErrors.notServed(e) != null
                    ? new Check(env.name(), subject, section + "-readable", Check.Status.SKIPPED, "not checked: " + AwsErrors.notServed(e)
                    + "; point the endpoint at a full AWS implementation (AWS itself, or moto) to check the " + section, 0)
                    : Check.error(env.name(), subject, section + "-readable", "cannot read the " + section + " of " + env.name() + ": "
                    + AwsErrors.describe(e)));
            return null;
        }
    }


    /**
     * The environments' load balancers, each described once per run: its own section checks it, the dns section
     * compares records with its DNS name and names another environment's when a record points there.
     */
    private static final class LoadBalancers {
        private final Environments config;
        private final Function<Environment, AwsServices> clients;
        private final Map<String, java.util.Optional<LoadBalancer>> known = new java.util.HashMap<>();

        LoadBalancers(Environments config, Function<Environment, AwsServices> clients) {
            this.config = config;
            this.clients = clients;
        }

        /** The environment's load balancer; empty without a loadBalancer section, for a placeholder name, or when there is none. */
        java.util.Optional<LoadBalancer> of(Environment env) {
            return known.computeIfAbsent(env.name(), k -> {
                Installation.LoadBalancer lb = env.installation().loadBalancer();
                if (lb == null || Installation.isPlaceholder(lb.name())) {
                    return java.util.Optional.empty();
                }
                return java.util.Optional.ofNullable(LoadBalancerChecks.find(clients.apply(env).loadBalancing(), lb.name()));
            });
        }

        String whyUnknown(Environment env) {
            Installation.LoadBalancer lb = env.installation().loadBalancer();
            return lb == null ? "no loadBalancer section" : Installation.isPlaceholder(lb.name())
                    ? "the load balancer's name " + lb.name() + " is a placeholder" : "load balancer " + lb.name() + " does not exist";
        }

        /** The DNS names of the other environments' load balancers, by environment. */
        Map<String, String> others(Environment env) {
            Map<String, String> out = new LinkedHashMap<>();
            for (Environment other : config.environments().values()) {
                if (!other.name().equals(env.name())) {
                    of(other).ifPresent(lb -> out.put(other.name(), lb.dnsName()));
                }
            }
            return out;
        }
    }
}
