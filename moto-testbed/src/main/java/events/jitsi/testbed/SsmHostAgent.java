package events.jitsi.testbed;

import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.ssm.model.CommandInvocationStatus;
import software.amazon.awssdk.services.ssm.model.GetCommandInvocationResponse;
import software.amazon.awssdk.services.ssm.model.SendCommandRequest;
import software.amazon.awssdk.services.ssm.model.SendCommandResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The part of Run Command that moto leaves out: moto 5.2.1 records SendCommand and answers every invocation "Success"
 * with no output, running nothing. This interceptor stands where the SSM agent on the instance would: the first time an
 * invocation is asked for, it runs the command's {@code AWS-RunShellScript} lines with the real bash on this machine,
 * and the answer carries that run's output, exit code and status, as the agent reports them. Everything else about the
 * calls (the command, its parameters, the ids, the errors) is moto's.
 */
public final class SsmHostAgent implements ExecutionInterceptor {
    private final Map<String, String> scripts = new ConcurrentHashMap<>();
    private final List<SendCommandRequest> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, Run> runs = new ConcurrentHashMap<>();

    /** One run on the "host": its exit code and output. */
    public record Run(int exitCode, String stdout, String stderr) {
    }

    /**
     * The SendCommand requests as sent. moto 5.2.1 stores a command sent to some instances (no targets) as sent to every
     * EC2 instance it has, so what was asked for is read here.
     */
    public List<SendCommandRequest> sent() {
        return List.copyOf(sent);
    }

    /** The commands sent so far, by command id: what an operator sees in the SSM console's history. */
    public Map<String, String> scripts() {
        return Map.copyOf(scripts);
    }

    @Override
    public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
        if (context.request() instanceof SendCommandRequest sent && context.response() instanceof SendCommandResponse answer
                && "AWS-RunShellScript".equals(sent.documentName())) {
            scripts.put(answer.command().commandId(), String.join("\n", sent.parameters().getOrDefault("commands", List.of())));
            this.sent.add(sent);
        }
        if (context.response() instanceof GetCommandInvocationResponse invocation && scripts.containsKey(invocation.commandId())) {
            Run run = runs.computeIfAbsent(invocation.commandId() + "/" + invocation.instanceId(), k -> run(scripts.get(invocation.commandId())));
            return invocation.toBuilder().responseCode(run.exitCode()).standardOutputContent(run.stdout()).standardErrorContent(run.stderr())
                    .status(run.exitCode() == 0 ? CommandInvocationStatus.SUCCESS : CommandInvocationStatus.FAILED)
                    .statusDetails(run.exitCode() == 0 ? "Success" : "Failed").build();
        }
        return context.response();
    }

    private static Run run(String script) {
        try {
            Path file = Files.createTempFile("ssm-command-", ".sh");
            try {
                Files.writeString(file, script);
                Process p = new ProcessBuilder("bash", file.toString()).start();
                p.getOutputStream().close();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return new Run(124, out, err + "timed out");
                }
                return new Run(p.exitValue(), out, err);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
