package events.jitsi.core.prosody;

import events.jitsi.core.InvalidInputException;
import events.jitsi.core.OptionNames;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Where prosodyctl runs: on this machine (an agent inside the container, or the tests), or in a container on this
 * Docker host, named or found by the labels the ECS agent puts on every container it starts.
 */
public interface ProsodyTarget {
    /** The argument list that runs prosodyctl with {@code args} there, reading our stdin. */
    List<String> prosodyctl(List<String> args);

    /** The argument list that runs a plain command there (to read the config, test for a file). */
    List<String> exec(List<String> args);

    String describe();

    static ProsodyTarget local(String prosodyctl) {
        return new ProsodyTarget() {
            @Override
            public List<String> prosodyctl(List<String> args) {
                return concat(List.of(prosodyctl), args);
            }

            @Override
            public List<String> exec(List<String> args) {
                return List.copyOf(args);
            }

            @Override
            public String describe() {
                return "this machine (" + prosodyctl + ")";
            }
        };
    }

    static ProsodyTarget container(String docker, String name) {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw new InvalidInputException("'" + name + "' is not a Docker container name.");
        }
        return new ProsodyTarget() {
            @Override
            public List<String> prosodyctl(List<String> args) {
                return concat(List.of(docker, "exec", "-i", name, "prosodyctl"), args);
            }

            @Override
            public List<String> exec(List<String> args) {
                return concat(List.of(docker, "exec", name), args);
            }

            @Override
            public String describe() {
                return "container " + name;
            }
        };
    }

    /** The one prosody container of an ECS cluster on this Docker host; none or several are bad input. */
    static ProsodyTarget ofCluster(String docker, String cluster) {
        if (cluster == null || !cluster.matches("[A-Za-z0-9_-]{1,255}")) {
            throw new InvalidInputException("'" + cluster + "' is not an ECS cluster name.");
        }
        HostCommand.Outcome ps = HostCommand.run(List.of(docker, "ps",
                "--filter", "label=com.amazonaws.ecs.cluster=" + cluster,
                "--filter", "label=com.amazonaws.ecs.container-name=prosody",
                "--format", "{{.Names}}"), null, Duration.ofSeconds(30));
        if (ps.exitCode() != 0) {
            throw new InvalidInputException("docker ps failed, so nothing was attempted: " + ps.output().strip()
                    + (ps.output().contains("daemon") ? " (run this where the Docker daemon runs, as a user that may use it)" : ""));
        }
        List<String> names = ps.output().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (names.isEmpty()) {
            throw new InvalidInputException("No running prosody container of ECS cluster " + cluster + " on this Docker host "
                    + "(looked for labels com.amazonaws.ecs.cluster=" + cluster + " and com.amazonaws.ecs.container-name=prosody). "
                    + "Run this on an EC2 instance of that cluster, or name the container (" + OptionNames.both("container") + ").");
        }
        if (names.size() > 1) {
            throw new InvalidInputException("Several prosody containers of ECS cluster " + cluster + " run on this host: "
                    + String.join(", ", names) + ". Name the one to use (" + OptionNames.both("container") + ").");
        }
        return container(docker, names.get(0));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }
}
