package events.jitsi.core.pipeline;

import events.jitsi.core.InvalidInputException;
import events.jitsi.core.verify.Verify;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code verifyEnvironments}' arguments, checked once, here: the environments file's text (null: the built-in seed
 * topology), which environments and sections, the report files (names inside the workspace) and the URL timeout in
 * seconds.
 */
public record VerifyArguments(AwsAccess aws, String environments, List<String> only, List<String> checks, String junit, String html,
                              Integer urlTimeout) {
    static final String STEP = "verifyEnvironments";
    public static final Set<String> NAMES = StepArguments.withAws("environments", "only", "checks", "junit", "html", "urlTimeout");

    public VerifyArguments {
        aws = aws == null ? AwsAccess.DEFAULT : aws;
        environments = StepArguments.blankToNull(environments);
        only = only == null ? List.of() : List.copyOf(only);
        checks = checks == null ? List.of() : List.copyOf(checks);
        junit = StepArguments.relativeFile(STEP, "junit", junit, "reports/verify.xml");
        html = StepArguments.relativeFile(STEP, "html", html, "reports/verify.html");
        if (junit != null && junit.equals(html)) {
            throw new InvalidInputException(STEP + ": junit and html name the same file '" + junit + "'; give each report its own.");
        }
        if (urlTimeout != null && urlTimeout <= 0) {
            throw new InvalidInputException(STEP + ": 'urlTimeout' is in seconds and must be positive, got " + urlTimeout + ".");
        }
        Verify.Section.parse(checks);
    }

    public static VerifyArguments of(Map<String, ?> named) {
        StepArguments a = new StepArguments(STEP, named, NAMES);
        return new VerifyArguments(a.access(), a.text("environments"), a.strings("only"), a.strings("checks"), a.text("junit"),
                a.text("html"), a.integer("urlTimeout"));
    }

    Duration urlTimeoutDuration() {
        return Duration.ofSeconds(urlTimeout == null ? 5 : urlTimeout);
    }
}
