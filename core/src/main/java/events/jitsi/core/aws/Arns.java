package events.jitsi.core.aws;

/** What follows the last '/' of an ARN or an id path: a task's id, a service's name, a hosted zone's bare id. */
public final class Arns {
    private Arns() {
    }

    public static String lastPart(String arnOrPath) {
        return arnOrPath == null ? null : arnOrPath.substring(arnOrPath.lastIndexOf('/') + 1);
    }
}
