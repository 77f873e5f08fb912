package events.jitsi.jenkins;

import java.util.ArrayList;
import java.util.List;

/**
 * List arguments (images, copyEnvironment, ignoreContainers, only) as the snippet generator and Pipeline both write
 * them: one entry per element. The configuration form sends a textarea as a single element, one entry per line, so
 * each element is split into its lines; blank lines are dropped.
 */
final class StepLists {
    private StepLists() {
    }

    /** The entries, or null when there are none (the argument is then left out of the generated snippet). */
    static List<String> entries(List<String> given) {
        if (given == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        // Read as objects: a value bound without a form may be a number where a string was declared.
        for (Object element : (List<?>) given) {
            if (element == null) {
                continue;
            }
            for (String line : String.valueOf(element).split("\\R")) {
                if (!line.isBlank()) {
                    out.add(line.trim());
                }
            }
        }
        return out.isEmpty() ? null : List.copyOf(out);
    }

    /** The entries one per line, for the form's textarea. */
    static String lines(List<String> entries) {
        return entries == null ? "" : String.join("\n", entries);
    }
}
