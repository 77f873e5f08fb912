package events.jitsi.core;

/**
 * How a refusal names the argument to change, for both faces of the engine: the CLI's option and the Pipeline step's
 * argument (the engine cannot tell which one called it, and an operator in a Jenkins log must not be sent to a flag).
 */
public final class OptionNames {
    private OptionNames() {
    }

    /** {@code "--allow-family-change; allowFamilyChange: true in a Pipeline"} for ("allowFamilyChange", "true"). */
    public static String both(String pipelineName, String pipelineValue) {
        return "--" + kebab(pipelineName) + "; " + pipelineName + ": " + pipelineValue + " in a Pipeline";
    }

    /** {@code "--region; region: in a Pipeline"} for ("region"). */
    public static String both(String pipelineName) {
        return "--" + kebab(pipelineName) + "; " + pipelineName + ": in a Pipeline";
    }

    static String kebab(String camel) {
        StringBuilder sb = new StringBuilder();
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                sb.append('-').append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
