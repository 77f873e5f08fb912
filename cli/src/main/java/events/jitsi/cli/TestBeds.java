package events.jitsi.cli;

import events.jitsi.core.InvalidInputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The test beds (the ECS simulator, moto's seed and its SSM agent, a local Prosody) are not what operators run, so they
 * ship in their own jar, {@value #JAR}, which the CLI jar's manifest names on its class path: put beside
 * {@code events-jitsi.jar}, it adds the {@code demo} and {@code simulator} commands and {@code --moto}. Without it those
 * say where to get it, and everything else works as before. Loaded by name: nothing else here may refer to them.
 */
final class TestBeds {
    static final String JAR = "events-jitsi-testbeds.jar";
    private static final Map<String, String> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("demo", "events.jitsi.cli.testbeds.DemoCommand");
        COMMANDS.put("simulator", "events.jitsi.cli.testbeds.SimulatorCommand");
    }

    private TestBeds() {
    }

    static void addCommands(CommandLine commandLine) {
        COMMANDS.forEach((name, className) -> {
            Object command = instance(className);
            commandLine.addSubcommand(name, command != null ? command : new NotInstalled(name));
        });
    }

    /** What {@code --moto} adds to every AWS client: CloudWatch in moto's JSON, and an SSM agent that runs commands here. */
    static List<ExecutionInterceptor> motoInterceptors() {
        List<ExecutionInterceptor> interceptors = new ArrayList<>();
        for (String className : List.of("events.jitsi.testbed.CloudWatchOverJson", "events.jitsi.testbed.SsmHostAgent")) {
            Object interceptor = instance(className);
            if (interceptor == null) {
                throw new InvalidInputException(notInstalled("--moto"));
            }
            interceptors.add((ExecutionInterceptor) interceptor);
        }
        return interceptors;
    }

    private static Object instance(String className) {
        try {
            return Class.forName(className).getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            return null;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot start " + className, e);
        }
    }

    static String notInstalled(String what) {
        String beside = "the CLI jar";
        try {
            beside = Path.of(TestBeds.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (Exception e) {
            // Only the message loses the path.
        }
        return what + " needs the test beds, which are not installed: put " + JAR + " beside " + beside
                + " (mvn -B -q install -DskipTests builds both into cli/target).";
    }

    /** Stands for a test-bed command when its jar is missing: takes any arguments, says what to install, exit 2. */
    @Command(mixinStandardHelpOptions = true, description = "Needs " + JAR + " beside the CLI jar.")
    static final class NotInstalled implements Callable<Integer> {
        private final String name;

        @CommandLine.Unmatched
        List<String> arguments = new ArrayList<>();

        NotInstalled(String name) {
            this.name = name;
        }

        @Override
        public Integer call() {
            throw new InvalidInputException(notInstalled("'" + name + "'"));
        }
    }
}
