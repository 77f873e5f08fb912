package events.jitsi.core.config;

import events.jitsi.core.InvalidInputException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingEndEvent;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.events.SequenceEndEvent;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * What the environments file may not be, read from YAML's own events (SnakeYAML's parser) before the file is read for
 * its content: a key given twice in one mapping (the last would silently win: a second {@code cluster:} under
 * staging, a second {@code environments:} block), and anchors and aliases (a reader may take {@code *r} for the text
 * "r"; they have no use in this file). Each refusal names the file, the key or alias and the lines.
 */
final class YamlShape {
    private YamlShape() {
    }

    /** One open mapping or sequence: the keys seen, with their lines, and whether a key comes next. */
    private static final class Frame {
        final boolean mapping;
        final String path;
        final Map<String, Integer> keys = new HashMap<>();
        boolean keyNext = true;
        String lastKey;

        Frame(boolean mapping, String path) {
            this.mapping = mapping;
            this.path = path;
        }
    }

    static void check(String source, String yaml) {
        Deque<Frame> open = new ArrayDeque<>();
        Iterable<Event> events = new Yaml(new LoaderOptions()).parse(new StringReader(yaml));
        try {
            for (Event e : events) {
                int line = e.getStartMark() == null ? 0 : e.getStartMark().getLine() + 1;
                if (e instanceof AliasEvent alias) {
                    throw new InvalidInputException(source + ": line " + line + ": the alias *" + alias.getAnchor() + " is not allowed: "
                            + "anchors and aliases have no use in the environments file; write the value out.");
                }
                if (e instanceof NodeEvent node && node.getAnchor() != null) {
                    throw new InvalidInputException(source + ": line " + line + ": the anchor &" + node.getAnchor() + " is not allowed: "
                            + "anchors and aliases have no use in the environments file; write the value out.");
                }
                Frame parent = open.peek();
                if (e instanceof ScalarEvent scalar) {
                    if (parent != null && parent.mapping && parent.keyNext) {
                        String key = scalar.getValue();
                        Integer first = parent.keys.putIfAbsent(key, line);
                        if (first != null) {
                            throw new InvalidInputException(source + ": " + (parent.path.isEmpty() ? "" : parent.path + ".") + key
                                    + ": is given twice, on lines " + first + " and " + line + "; give each key once (the last would "
                                    + "silently win).");
                        }
                        parent.lastKey = key;
                        parent.keyNext = false;
                    } else if (parent != null && parent.mapping) {
                        parent.keyNext = true;
                    }
                } else if (e instanceof CollectionStartEvent) {
                    if (parent != null && parent.mapping && parent.keyNext) {
                        throw new InvalidInputException(source + ": line " + line + ": a key that is a mapping or a list is not allowed.");
                    }
                    String path = parent == null ? "" : parent.mapping ? (parent.path.isEmpty() ? "" : parent.path + ".") + parent.lastKey
                            : parent.path + "[]";
                    open.push(new Frame(e instanceof MappingStartEvent, path));
                } else if (e instanceof MappingEndEvent || e instanceof SequenceEndEvent) {
                    open.pop();
                    Frame outer = open.peek();
                    if (outer != null && outer.mapping) {
                        outer.keyNext = true;
                    }
                }
            }
        } catch (YAMLException e) {
            // Not YAML at all: the reader that follows says so, with the line.
            return;
        }
    }
}
