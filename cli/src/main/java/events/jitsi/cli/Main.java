package events.jitsi.cli;

import events.jitsi.core.InvalidInputException;
import events.jitsi.core.PrintableText;
import events.jitsi.core.OperationFailedException;
import events.jitsi.core.aws.AwsServices;
import events.jitsi.core.time.RealScheduler;
import events.jitsi.core.time.Scheduler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecs.EcsClient;

import java.io.PrintStream;
import java.net.URI;

/**
 * {@code events-jitsi}: the engine on the command line. Exit codes are a contract: 0 success, 1 the operation failed,
 * 2 bad input and nothing changed.
 */
@Command(name = "events-jitsi", mixinStandardHelpOptions = true, version = "events-jitsi 0.1.0",
        description = "Day-to-day operations of a Jitsi Meet + Matrix installation on AWS ECS.",
        subcommands = {DeployCommand.class, WaitCommand.class, PromoteCommand.class, VerifyCommand.class, WatermarkCommand.class,
                ProsodyCommand.class, StatusCommand.class, RevisionsCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:the operation failed (deployment failed or superseded, timeout, command failed, a check failed)",
                "2:bad input or usage; nothing was changed", "3:verify: a check could not run (an AWS error, an unreadable section)",
                "130:interrupted (Ctrl-C); the line before says what ECS is doing and how to resume the wait"})
public final class Main {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int BAD_INPUT = 2;
    /** verify: some checks could not run, so nothing is known of what they check. */
    public static final int NOT_RUN = 3;

    @Option(names = "--region", scope = CommandLine.ScopeType.INHERIT, description = "AWS region (default: AWS_REGION, then AWS_DEFAULT_REGION, then the AWS profile).")
    String region;

    @Option(names = "--endpoint-url", scope = CommandLine.ScopeType.INHERIT, description = "One endpoint for every AWS service, e.g. the simulator or moto on http://127.0.0.1:PORT.")
    URI endpointUrl;

    @Option(names = "--moto", scope = CommandLine.ScopeType.INHERIT, description = "The endpoint is moto (a local AWS test bed): send CloudWatch calls in the JSON "
            + "moto answers instead of the CBOR the SDK speaks, and run the commands sent through SSM on this machine, as the "
            + "instance's SSM agent would (moto runs none).")
    boolean moto;

    @Option(names = "--json", scope = CommandLine.ScopeType.INHERIT, description = "Print one JSON object with the result on stdout; progress goes to stderr.")
    boolean json;

    private final Environment environment;
    private Output output;

    /** What the commands run against: real AWS by default, or whatever a caller (the demo, a test) provides. */
    public interface Environment {
        /** The clients for {@code region} (an environment's own; null: the --region option or the default chain). */
        AwsServices aws(Main options, String region);

        Scheduler scheduler();

        /** Every AWS call made through the clients handed out so far, as IAM actions, in order. */
        java.util.List<String> calls();

        /** An environment variable of this process (the passwords the prosody command reads); a seam for the demo. */
        default String variable(String name) {
            return System.getenv(name);
        }

        /** This environment with these variables instead of the process's. */
        default Environment withVariables(java.util.Map<String, String> variables) {
            Environment base = this;
            return new Environment() {
                @Override
                public AwsServices aws(Main options, String region) {
                    return base.aws(options, region);
                }

                @Override
                public Scheduler scheduler() {
                    return base.scheduler();
                }

                @Override
                public java.util.List<String> calls() {
                    return base.calls();
                }

                @Override
                public String variable(String name) {
                    return variables.get(name);
                }
            };
        }

        /** One set of clients for every region and one scheduler: the demo's simulator and moto, or a test's. */
        static Environment fixed(AwsServices aws, Scheduler scheduler) {
            return new Environment() {
                @Override
                public AwsServices aws(Main options, String region) {
                    return aws;
                }

                @Override
                public Scheduler scheduler() {
                    return scheduler;
                }

                @Override
                public java.util.List<String> calls() {
                    return aws == null ? java.util.List.of() : aws.calls().actions();
                }
            };
        }
    }

    /** The calls that change AWS (anything but Describe*, List*, Get*), of those made since {@code from}. */
    static java.util.List<String> writes(java.util.List<String> calls, int from) {
        // A watermark command the host refused changed nothing there; its line in SSM's history is not a change.
        return calls.subList(Math.min(from, calls.size()), calls.size()).stream()
                .filter(c -> !c.substring(c.indexOf(':') + 1).matches("(Describe|List|Get).*") && !c.equals("ssm:SendCommand"))
                .distinct().toList();
    }

    public Main(Environment environment) {
        this.environment = environment;
    }

    EcsClient ecs() {
        return environment.aws(this, null).ecs();
    }

    /** For commands that read regions from the environments file: an environment's own region wins over --region. */
    EcsClient ecs(String region) {
        return aws(region).ecs();
    }

    /** Every AWS client of a region (see {@link #ecs(String)}); null: --region, else the default chain. */
    AwsServices aws(String region) {
        return environment.aws(this, region);
    }

    String variable(String name) {
        return environment.variable(name);
    }

    Scheduler scheduler() {
        return environment.scheduler();
    }

    public Output output() {
        if (output == null) {
            output = new Output(System.out, System.err, json);
        }
        return output;
    }

    void useOutput(Output output) {
        this.output = output;
    }

    /** Real AWS (or --endpoint-url): the default credentials chain, one set of clients per region. */
    static final class AwsEnvironment implements Environment {
        private final java.util.Map<String, AwsServices> clients = new java.util.HashMap<>();
        private RealScheduler scheduler;

        @Override
        public synchronized AwsServices aws(Main options, String region) {
            String r = resolveRegion(region != null ? region : options.region, System.getenv());
            return clients.computeIfAbsent(r, k -> {
                AwsServices aws = new AwsServices(r, options.endpointUrl, null, software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient::builder);
                if (options.moto) {
                    TestBeds.motoInterceptors().forEach(aws::with);
                }
                return aws;
            });
        }

        @Override
        public synchronized Scheduler scheduler() {
            if (scheduler == null) {
                scheduler = new RealScheduler();
            }
            return scheduler;
        }

        @Override
        public synchronized java.util.List<String> calls() {
            java.util.List<String> all = new java.util.ArrayList<>();
            clients.values().forEach(c -> all.addAll(c.calls().actions()));
            return all;
        }
    }

    /**
     * The region: --region (or the environments file's), else AWS_REGION, else AWS_DEFAULT_REGION (the AWS CLI's
     * variable), else the SDK's chain (system property, profile, instance metadata). None is bad input before any call.
     */
    static String resolveRegion(String given, java.util.Map<String, String> environment) {
        for (String candidate : new String[] {given, environment.get("AWS_REGION"), environment.get("AWS_DEFAULT_REGION")}) {
            if (candidate != null && !candidate.isBlank()) {
                return candidate.trim();
            }
        }
        try {
            return new software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain().getRegion().id();
        } catch (SdkException e) {
            throw new InvalidInputException("No AWS region: set --region or AWS_REGION (AWS_DEFAULT_REGION and the AWS profile's "
                    + "region are read too); nothing was attempted.");
        }
    }

    public static CommandLine commandLine(Environment environment, PrintStream out, PrintStream err) {
        Main main = new Main(environment);
        CommandLine cl = new CommandLine(main);
        TestBeds.addCommands(cl);
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        int[] callsBefore = {environment.calls().size()};
        cl.setExecutionStrategy(parseResult -> {
            callsBefore[0] = environment.calls().size();
            return new CommandLine.RunLast().execute(parseResult);
        });
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            Failure failure = Failure.of(e);
            if (failure == null) {
                throw e;
            }
            // Exit 2 promises that nothing was changed: after a write, the same refusal is a failure naming the writes.
            java.util.List<String> writes = writes(environment.calls(), callsBefore[0]);
            if (failure.exitCode() == BAD_INPUT && !writes.isEmpty()) {
                failure = new Failure("failed", "after " + String.join(", ", writes) + " had been made: " + failure.message(), FAILED);
            }
            return failure.report(main.json, out, err);
        });
        cl.setParameterExceptionHandler((e, args) -> {
            Failure failure = new Failure("usage", usageMessage(e) + " (see --help)", BAD_INPUT);
            return failure.report(java.util.Arrays.asList(args).contains("--json"), out, err);
        });
        return cl;
    }

    /**
     * picocli's message, led by what was typed wrong when something was: "Unknown option '--servce'; did you mean
     * --service?" (an unknown option comes before the required one it misspells), "Unknown command 'depoly'; did you
     * mean deploy?".
     */
    static String usageMessage(CommandLine.ParameterException e) {
        java.util.List<String> unmatched = e instanceof CommandLine.UnmatchedArgumentException u ? u.getUnmatched()
                : e.getCommandLine().getUnmatchedArguments();
        if (unmatched == null || unmatched.isEmpty()) {
            return e.getMessage();
        }
        String typed = unmatched.get(0);
        CommandLine.Model.CommandSpec spec = e.getCommandLine().getCommandSpec();
        if (typed.startsWith("-")) {
            return "Unknown option '" + typed + "'" + suggestion(typed, spec) + (e instanceof CommandLine.UnmatchedArgumentException ? ""
                    : "; " + e.getMessage());
        }
        if (!spec.subcommands().isEmpty()) {
            return "Unknown command '" + typed + "'" + suggestion(typed, spec);
        }
        return e.getMessage();
    }

    /** "; did you mean --service?": the closest option or command name, when one is close. */
    static String suggestion(String typed, CommandLine.Model.CommandSpec spec) {
        java.util.List<String> candidates = new java.util.ArrayList<>();
        if (typed.startsWith("-")) {
            spec.options().forEach(o -> candidates.addAll(java.util.List.of(o.names())));
        } else {
            candidates.addAll(spec.subcommands().keySet());
        }
        String typedName = typed.contains("=") ? typed.substring(0, typed.indexOf('=')) : typed;
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(typedName, c);
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= Math.max(2, typedName.length() / 3) ? "; did you mean " + best + "?" : "";
    }

    /** Edit distance with transpositions (a swapped pair of letters is one typo). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /** Smack and jbosh log connection troubles to the console; the prosody command reports them itself, in one line. */
    private static final java.util.List<java.util.logging.Logger> QUIET_LIBRARIES = java.util.List.of(
            java.util.logging.Logger.getLogger("org.jivesoftware"), java.util.logging.Logger.getLogger("org.igniterealtime"));

    public static void main(String[] args) {
        QUIET_LIBRARIES.forEach(logger -> logger.setLevel(java.util.logging.Level.OFF));
        int code = commandLine(new AwsEnvironment(), System.out, System.err).execute(args);
        System.exit(code);
    }

    /**
     * How a command ended when it could not give its result: a kind a script can branch on, one line for a person, and
     * the exit code. Under --json it is also one JSON object on stdout, so a script never parses text.
     */
    record Failure(String kind, String message, int exitCode) {
        private static final String NO_CREDENTIALS = "Unable to load credentials";

        /** picocli and AWS quote what was typed or returned: its invisible characters are escaped like the engine's. */
        Failure {
            message = PrintableText.keepingLines(message);
        }

        static Failure of(Exception e) {
            if (e instanceof InvalidInputException) {
                return new Failure("bad-input", e.getMessage(), BAD_INPUT);
            }
            if (e instanceof OperationFailedException) {
                return new Failure("failed", e.getMessage(), FAILED);
            }
            if (e instanceof SdkException && e.getMessage() != null && e.getMessage().startsWith(NO_CREDENTIALS)) {
                return new Failure("no-credentials", "No AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or "
                        + "AWS_PROFILE, or run where an instance or task role is available; nothing was attempted.", BAD_INPUT);
            }
            if (e instanceof SdkException && AwsServices.unreachableCause(e) != null) {
                return new Failure("unreachable", "cannot reach ECS (" + AwsServices.unreachableCause(e) + "): check --endpoint-url, "
                        + "--region and the network.", BAD_INPUT);
            }
            if (e instanceof SdkException) {
                return new Failure("aws", "AWS said: " + e.getMessage(), FAILED);
            }
            return null;
        }

        int report(boolean json, PrintStream out, PrintStream err) {
            if (json) {
                java.util.Map<String, Object> error = new java.util.LinkedHashMap<>();
                error.put("kind", kind);
                error.put("message", message);
                error.put("exitCode", exitCode);
                error.put("meaning", exitCode == BAD_INPUT ? "bad input or usage; nothing was changed" : "the operation failed");
                try {
                    out.println(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(java.util.Map.of("error", error)));
                } catch (com.fasterxml.jackson.core.JsonProcessingException x) {
                    throw new IllegalStateException(x);
                }
            }
            err.println((exitCode == BAD_INPUT ? "error: " : "failed: ") + message);
            return exitCode;
        }
    }
}
