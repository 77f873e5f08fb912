package events.jitsi.core.verify;

import events.jitsi.core.aws.AwsServices;
import events.jitsi.core.config.Environments.Environment;
import software.amazon.awssdk.services.efs.model.FileSystemDescription;
import software.amazon.awssdk.services.efs.model.FileSystemNotFoundException;
import software.amazon.awssdk.services.efs.model.MountTargetDescription;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The storage section: the environment's EFS file system is available under its Name tag, and has an available
 * mount target in every Availability Zone where the cluster's instances run (a new instance in a zone without one
 * cannot mount /mnt/efs/fs1). That the task definitions mount it is an ECS check of each service.
 */
final class StorageChecks {
    private static final String SUBJECT = "storage";

    private final Environment env;
    private final AwsServices aws;

    StorageChecks(Environment env, AwsServices aws) {
        this.env = env;
        this.aws = aws;
    }

    List<Check> run(ClusterInstances cluster) {
        String id = env.efsFileSystemId();
        String name = env.installation().storage().name();
        List<Check> checks = new ArrayList<>();
        FileSystemDescription fs;
        try {
            List<FileSystemDescription> found = aws.efs().describeFileSystems(d -> d.fileSystemId(id)).fileSystems();
            fs = found.isEmpty() ? null : found.get(0);
        } catch (FileSystemNotFoundException e) {
            fs = null;
        }
        if (fs == null) {
            checks.add(Check.failed(env.name(), SUBJECT, "file-system", "EFS file system " + id + " (" + name + ") does not exist in " + env.region()));
            return checks;
        }
        String tag = fs.name(); // EFS answers the Name tag's value here
        List<String> problems = new ArrayList<>();
        if (!"available".equals(fs.lifeCycleStateAsString())) {
            problems.add("is " + fs.lifeCycleStateAsString());
        }
        if (!name.equals(tag)) {
            problems.add(tag == null ? "has no Name tag, expected " + name : "is named " + tag + ", expected " + name);
        }
        checks.add(problems.isEmpty()
                ? Check.passed(env.name(), SUBJECT, "file-system", id + " (" + name + ") is available")
                : Check.failed(env.name(), SUBJECT, "file-system", id + " " + String.join(" and ", problems)));

        List<MountTargetDescription> targets = new ArrayList<>();
        aws.efs().describeMountTargetsPaginator(d -> d.fileSystemId(id)).mountTargets().forEach(targets::add);
        Set<String> served = new TreeSet<>();
        targets.stream().filter(t -> "available".equals(t.lifeCycleStateAsString())).forEach(t -> served.add(t.availabilityZoneName()));
        TreeSet<String> needed = cluster.zones();
        if (needed.isEmpty()) {
            checks.add(new Check(env.name(), SUBJECT, "mount-targets", Check.Status.SKIPPED,
                    "no instance of " + env.cluster() + " with a known zone; mount targets in " + (served.isEmpty() ? "no zone" : String.join(", ", served)), 0));
            return checks;
        }
        List<String> missing = new ArrayList<>();
        for (String zone : needed) {
            if (!served.contains(zone)) {
                List<String> there = cluster.hosts().stream().filter(h -> zone.equals(h.zone())).map(ClusterInstances.Host::instanceId).toList();
                missing.add(zone + " (where " + String.join(", ", there) + " run" + (there.size() == 1 ? "s" : "") + ")");
            }
        }
        checks.add(missing.isEmpty()
                ? Check.passed(env.name(), SUBJECT, "mount-targets", id + " has an available mount target in every zone of the cluster: " + String.join(", ", needed))
                : Check.failed(env.name(), SUBJECT, "mount-targets", id + " has no available mount target in " + String.join(", ", missing)
                + "; it has one in " + (served.isEmpty() ? "no zone" : String.join(", ", served))));
        return checks;
    }
}
