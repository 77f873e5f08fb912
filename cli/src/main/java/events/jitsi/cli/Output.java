package events.jitsi.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import events.jitsi.core.PrintableText;

import java.io.PrintStream;
import java.util.function.Consumer;

/**
 * Progress for people, results for people or, with --json, one JSON object for programs. Text for people has its
 * invisible characters escaped (see PrintableText); JSON carries the text unchanged, for programs.
 */
public final class Output {
    private final ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final PrintStream out;
    private final PrintStream err;
    private final boolean json;

    Output(PrintStream out, PrintStream err, boolean json) {
        this.out = out;
        this.err = err;
        this.json = json;
    }

    /** Where progress lines go: stdout for people, stderr when stdout carries JSON. */
    Consumer<String> progress() {
        PrintStream target = json ? err : out;
        return line -> target.println(PrintableText.keepingLines(line));
    }

    public void result(Object result, String humanSummary) {
        if (json) {
            try {
                out.println(mapper.writeValueAsString(result));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("result not serializable", e);
            }
        } else if (humanSummary != null) {
            out.println(PrintableText.keepingLines(humanSummary));
        }
    }
}
