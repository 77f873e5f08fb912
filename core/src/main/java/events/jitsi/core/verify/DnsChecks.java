package events.jitsi.core.verify;

import events.jitsi.core.aws.Arns;
import events.jitsi.core.aws.AwsServices;
import events.jitsi.core.config.Environments.Environment;
import events.jitsi.core.config.Installation;
import events.jitsi.core.config.Installation.DnsRecord;
import software.amazon.awssdk.services.route53.model.HostedZone;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The dns section: each record exists in the hosted zone as a CNAME with the expected value (this environment's load
 * balancer, or a literal name), compared without case and trailing dot. A record that points at another
 * environment's load balancer says so. The zone's records are read once (300 per call), not one call per record.
 */
final class DnsChecks {
    private static final String SUBJECT = "dns";

    private final Environment env;
    private final Installation.Dns config;
    private final AwsServices aws;

    DnsChecks(Environment env, AwsServices aws) {
        this.env = env;
        this.config = env.installation().dns();
        this.aws = aws;
    }

    /**
     * @param thisLoadBalancer    this environment's load balancer DNS name; empty when it is not known (placeholder, missing)
     * @param otherLoadBalancers  the DNS names of the other environments' load balancers, by environment
     */
    List<Check> run(Optional<String> thisLoadBalancer, String whyUnknown, Map<String, String> otherLoadBalancers) {
        List<Check> checks = new ArrayList<>();
        String zoneName = normal(config.zone());
        // The public zone where a private one has the same name: the records people resolve are the public ones.
        HostedZone zone = aws.route53().listHostedZonesByName(d -> d.dnsName(config.zone()).maxItems("10")).hostedZones().stream()
                .filter(z -> normal(z.name()).equals(zoneName))
                .min(java.util.Comparator.comparing(z -> z.config() != null && Boolean.TRUE.equals(z.config().privateZone())))
                .orElse(null);
        if (zone == null) {
            checks.add(Check.failed(env.name(), SUBJECT, "zone " + zoneName, "hosted zone " + zoneName + " does not exist in this account"));
            return checks;
        }
        List<ResourceRecordSet> records = new ArrayList<>();
        // The zone's Id reads "/hostedzone/ID"; the record calls take the bare ID (the prefix would be sent URL-encoded).
        String zoneId = Arns.lastPart(zone.id());
        aws.route53().listResourceRecordSetsPaginator(d -> d.hostedZoneId(zoneId)).resourceRecordSets().forEach(records::add);
        for (DnsRecord expected : config.records()) {
            String name = normal(expected.name());
            String check = "record " + name;
            if (Installation.isPlaceholder(name)) {
                checks.add(new Check(env.name(), SUBJECT, check, Check.Status.SKIPPED, "placeholder host: put the real one in the environments file", 0));
                continue;
            }
            List<ResourceRecordSet> sameName = records.stream().filter(r -> normal(r.name()).equals(name)).toList();
            ResourceRecordSet cname = sameName.stream().filter(r -> "CNAME".equals(r.typeAsString())).findFirst().orElse(null);
            if (cname == null) {
                checks.add(Check.failed(env.name(), SUBJECT, check, sameName.isEmpty()
                        ? "no record " + name + " in zone " + zoneName
                        : name + " is a " + sameName.stream().map(ResourceRecordSet::typeAsString).distinct().toList() + " record, expected a CNAME"));
                continue;
            }
            String actual = cname.resourceRecords().isEmpty() ? "" : normal(cname.resourceRecords().get(0).value());
            String wanted;
            if (expected.pointsAtLoadBalancer()) {
                if (thisLoadBalancer.isEmpty()) {
                    checks.add(new Check(env.name(), SUBJECT, check, Check.Status.SKIPPED, name + " is a CNAME to " + actual
                            + "; not compared: " + whyUnknown, 0));
                    continue;
                }
                wanted = normal(thisLoadBalancer.get());
            } else {
                wanted = normal(expected.cname());
            }
            if (actual.equals(wanted)) {
                checks.add(Check.passed(env.name(), SUBJECT, check, name + " is a CNAME to " + actual));
                continue;
            }
            String other = otherLoadBalancers.entrySet().stream().filter(o -> normal(o.getValue()).equals(actual))
                    .map(o -> ", the load balancer of " + o.getKey()).findFirst().orElse("");
            checks.add(Check.failed(env.name(), SUBJECT, check, name + " is a CNAME to " + actual + other + "; expected " + wanted
                    + (expected.pointsAtLoadBalancer() ? " (" + env.name() + "'s load balancer)" : "")));
        }
        return checks;
    }

    /** DNS names compare without case and without the trailing dot of the fully qualified form. */
    static String normal(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
