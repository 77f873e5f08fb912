package events.jitsi.cli;

import events.jitsi.core.InvalidInputException;
import events.jitsi.core.config.Environments;
import events.jitsi.core.verify.ReportFiles;
import events.jitsi.core.verify.VerificationHtml;
import events.jitsi.core.verify.VerificationReport;
import events.jitsi.core.verify.Verify;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Read-only checks of the environments (services, drift, and where the file describes them: instances, "
                + "scaling, scale-in protection, EFS, load balancer routes, DNS). Exit 1 when a check fails, 3 when one could not run.")
final class VerifyCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Mixin
    EnvironmentsOption config;

    @Option(names = "--environment", paramLabel = "NAME", description = "Check only this environment (repeatable; default all).")
    List<String> environments = new ArrayList<>();

    @Option(names = "--only", paramLabel = "SECTION",
            description = "Run only these sections: ecs, capacity, storage, loadBalancer, dns (comma-separated or repeated; "
                    + "default all). capacity, storage, loadBalancer and dns run where the environments file has them.")
    List<String> only = new ArrayList<>();

    @Option(names = "--junit", paramLabel = "FILE", description = "Also write the checks as JUnit XML (for Jenkins' junit step).")
    Path junit;

    @Option(names = "--html", paramLabel = "FILE", description = "Also write the checks as a self-contained HTML page for people.")
    Path html;

    @Option(names = "--url-timeout", converter = DurationConverter.class, defaultValue = "5s",
            description = "How long a public URL may take to answer (default ${DEFAULT-VALUE}).")
    Duration urlTimeout;

    @Override
    public Integer call() throws IOException {
        Environments file = config.load();
        java.util.Set<Verify.Section> sections = Verify.Section.parse(only);
        // Before any AWS call: a report that cannot be written costs nothing and says why.
        if (junit != null && html != null && junit.toAbsolutePath().normalize().equals(html.toAbsolutePath().normalize())) {
            throw new InvalidInputException("--junit and --html name the same file " + junit + "; give each report its own.");
        }
        if (junit != null) {
            ReportFiles.prepare(junit, "--junit", config.file, null);
        }
        if (html != null) {
            ReportFiles.prepare(html, "--html", config.file, null);
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(urlTimeout).followRedirects(HttpClient.Redirect.NORMAL).build();
        VerificationReport report = new Verify(env -> main.aws(env.region()), http, urlTimeout).run(file, environments, sections);
        try {
            if (junit != null) {
                ReportFiles.write(junit, report.junitXml());
            }
            if (html != null) {
                ReportFiles.write(html, VerificationHtml.render(report, main.scheduler().clock().instant(), java.time.ZoneId.systemDefault()));
            }
        } catch (IOException e) {
            // The checks ran (and were read-only): the report could not be written, which the exit code must say.
            throw new events.jitsi.core.OperationFailedException("The checks ran but a report could not be written: " + e
                    + "\n" + report.summary().stripTrailing());
        }
        Output out = main.output();
        out.result(report, report.summary().stripTrailing() + (junit != null ? "\nJUnit report: " + junit : "")
                + (html != null ? "\nHTML report: " + html : ""));
        // 3 when a check could not run: then nothing is known of what it checks, whatever else failed.
        return !report.errors().isEmpty() ? Main.NOT_RUN : report.failures().isEmpty() ? Main.OK : Main.FAILED;
    }
}
