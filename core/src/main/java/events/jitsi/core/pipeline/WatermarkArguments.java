package events.jitsi.core.pipeline;

import events.jitsi.core.InvalidInputException;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code jitsiWatermark}'s arguments, checked once, here. Two ways: {@code ssm} (Run Command from the controller to the
 * host that runs the service's web task; the default when {@code cluster} and {@code service} are given) and
 * {@code local} (the folder on the agent, where the EFS is mounted). {@code check} needs neither: it reads {@code file}.
 */
public record WatermarkArguments(AwsAccess aws, String action, String file, String dir, String via, String cluster, String service,
                                 String container) {
    static final String STEP = "jitsiWatermark";
    public static final Set<String> NAMES = StepArguments.withAws("action", "file", "dir", "via", "cluster", "service", "container");
    private static final List<String> HOST_ACTIONS = List.of("status", "hide", "restore", "replace");

    public WatermarkArguments {
        aws = aws == null ? AwsAccess.DEFAULT : aws;
        action = StepArguments.blankToNull(action) == null ? "status" : action;
        dir = StepArguments.blankToNull(dir);
        cluster = StepArguments.blankToNull(cluster);
        service = StepArguments.blankToNull(service);
        container = StepArguments.blankToNull(container);
        via = StepArguments.blankToNull(via);
        if (via == null) {
            via = cluster != null && service != null ? "ssm" : "local";
        } else if (!via.equals("ssm") && !via.equals("local")) {
            throw new InvalidInputException(STEP + ": via is '" + via + "'; give 'ssm' (Run Command on the host that runs the web "
                    + "task, no agent) or 'local' (on an agent with the EFS mounted).");
        }
        file = StepArguments.relativeFile(STEP, "file", file, "branding/watermark.svg");
        if (action.equals("check")) {
            StepArguments.required(STEP, "file", file);
        } else {
            if (via.equals("local")) {
                List<String> given = new java.util.ArrayList<>();
                if (cluster != null) given.add("cluster");
                if (service != null) given.add("service");
                if (container != null) given.add("container");
                if (aws.region() != null) given.add("region");
                if (aws.credentialsId() != null) given.add("credentialsId");
                if (aws.endpointUrl() != null) given.add("endpointUrl");
                if (!given.isEmpty()) {
                    throw new InvalidInputException(STEP + ": " + given.get(0) + " is for via: 'ssm'; with via: 'local' give dir.");
                }
                if (!HOST_ACTIONS.contains(action)) {
                    throw new InvalidInputException(STEP + ": action must be status, hide, restore, replace or check, not '" + action + "'.");
                }
            } else {
                if (!HOST_ACTIONS.contains(action)) {
                    throw new InvalidInputException(STEP + ": over SSM the action is status, hide, restore or replace, not '" + action
                            + "' (check needs no host: give it without via).");
                }
                StepArguments.required(STEP, "cluster", cluster);
                StepArguments.required(STEP, "service", service);
            }
            if (action.equals("replace") != (file != null)) {
                throw new InvalidInputException(STEP + ": 'file' goes with action: 'replace' (or 'check') and only with it.");
            }
        }
    }

    public static WatermarkArguments of(Map<String, ?> named) {
        StepArguments a = new StepArguments(STEP, named, NAMES);
        return new WatermarkArguments(a.access(), a.text("action"), a.text("file"), a.text("dir"), a.text("via"), a.text("cluster"),
                a.text("service"), a.text("container"));
    }

    /** Whether the step runs from the controller through SSM (check never does: it needs no host). */
    public boolean overSsm() {
        return via.equals("ssm") && !action.equals("check");
    }

    /** The arguments given, by their Pipeline names, as plain JDK values (what the plugin sends to an agent). */
    public java.util.HashMap<String, Object> toMap() {
        return StepArguments.toMap(this);
    }
}
