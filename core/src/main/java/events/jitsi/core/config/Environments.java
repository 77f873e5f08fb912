package events.jitsi.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import events.jitsi.core.InvalidInputException;
import events.jitsi.core.UrlCredentials;
import events.jitsi.core.ecs.PromotionRules;
import events.jitsi.core.ecs.ServiceRef;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The environments file (YAML): each environment's region, cluster, EFS file system and services with their public
 * URLs, and the promotion rules per service. A bad file is bad input naming the file and the key.
 */
public record Environments(String source, Map<String, Environment> environments, Map<String, PromotionRules> promotion) {
    /** The built-in default, the seed topology; the shared library ships the same file under resources/. */
    public static final String DEFAULT_RESOURCE = "/events/jitsi/environments.yaml";

    /**
     * One environment. {@code region} may be absent: then the environment is in the region the command is given
     * ({@code --region}, AWS_REGION, the profile's); an environment's own region always wins over those.
     */
    public record Environment(String name, String region, String cluster, String efsFileSystemId, Map<String, ServiceConfig> services,
                              Installation installation, Xmpp xmpp, Watermark watermark) {
        /** The region for messages: the environment's own, or "the default region". */
        public String where() {
            return region == null ? "the default region" : region;
        }

        public ServiceConfig service(String key) {
            ServiceConfig s = services.get(key);
            if (s == null) {
                throw new InvalidInputException("Environment " + name + " has no service '" + key + "'; it has: "
                        + String.join(", ", services.keySet()) + ".");
            }
            return s;
        }
    }

    /**
     * How Prosody is reached without host access (optional {@code xmpp:}): the meeting's XMPP endpoint (WebSocket, BOSH
     * or client port), the XMPP domain, and the admin account: in Jenkins the id of a username/password credential,
     * on the command line the account's name.
     */
    public record Xmpp(String endpoint, String domain, String admin) {
    }

    /**
     * Where the watermark lives (optional {@code watermark:}; defaults apply without it): the service whose tasks run the
     * web container, that container's name, and the folder on the EC2 host that the container serves as its images.
     */
    public record Watermark(String service, String container, String dir) {
        public static final String DEFAULT_SERVICE = "jitsi";
        public static final String DEFAULT_CONTAINER = "web";
        public static final String DEFAULT_DIR = events.jitsi.core.watermark.Watermark.DEFAULT_DIR;
    }

    /** A service as the environments file knows it: its key (jitsi, matrix), its ECS service name, its public URLs. */
    public record ServiceConfig(String key, String serviceName, List<URI> urls) {
    }

    public Environment environment(String name) {
        Environment e = environments.get(name);
        if (e == null) {
            throw new InvalidInputException("There is no environment '" + name + "' in " + source + "; it has: "
                    + String.join(", ", environments.keySet()) + ".");
        }
        return e;
    }

    public PromotionRules rulesFor(String service) {
        return promotion.getOrDefault(service, PromotionRules.NONE);
    }

    public static Environments defaults() {
        try (InputStream in = Environments.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            return parse("the built-in environments (seed topology)", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("the built-in environments are missing from the jar", e);
        }
    }

    /** The given file, or the built-in default when there is none. */
    public static Environments loadOrDefault(Path file) {
        return file == null ? defaults() : load(file);
    }

    /** How large an environments file may be: far beyond any installation's, short of what would exhaust memory. */
    public static final int MAX_BYTES = 1024 * 1024;

    /** The file: a regular file of at most {@link #MAX_BYTES} (a device or a FIFO would never end or never answer). */
    public static Environments load(Path file) {
        String text;
        try {
            if (!Files.isRegularFile(file)) {
                throw new InvalidInputException("The environments file " + file + (Files.exists(file) ? " is not a regular file (a folder, "
                        + "FIFO or device)" : " does not exist") + "; give the YAML file.");
            }
            if (Files.size(file) > MAX_BYTES) {
                throw new InvalidInputException("The environments file " + file + " has " + Files.size(file) + " bytes; the limit is "
                        + MAX_BYTES + " (1 MiB).");
            }
            byte[] content;
            try (InputStream in = Files.newInputStream(file)) {
                content = in.readNBytes(MAX_BYTES + 1);
            }
            if (content.length > MAX_BYTES) {
                throw new InvalidInputException("The environments file " + file + " has more than " + MAX_BYTES + " bytes (1 MiB), the limit.");
            }
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(content)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new InvalidInputException("The environments file " + file + " is not UTF-8 text.", e);
        } catch (IOException e) {
            throw new InvalidInputException("Cannot read the environments file " + file + ": " + e.getMessage(), e);
        }
        return parse(file.toString(), text);
    }

    public static Environments parse(String source, String yaml) {
        if (yaml.length() > MAX_BYTES) {
            throw new InvalidInputException(source + " has " + yaml.length() + " characters; the limit is " + MAX_BYTES + " (1 MiB).");
        }
        YamlShape.check(source, yaml);
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(source + " is not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ")" : ""), e);
        }
        Reader r = new Reader(source);
        if (root == null || !root.isObject()) {
            throw r.error("", "must be a mapping with 'environments' (and optionally 'promotion')");
        }
        r.onlyKeys(root, "", Set.of("environments", "promotion"));
        JsonNode envs = r.object(root, "environments", true);
        Map<String, Environment> environments = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = envs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String at = "environments." + e.getKey();
            JsonNode env = r.asObject(e.getValue(), at);
            r.onlyKeys(env, at, Set.of("region", "cluster", "efsFileSystemId", "services", "capacity", "storage", "loadBalancer", "dns",
                    "xmpp", "watermark"));
            String efs = r.text(env, at, "efsFileSystemId", false);
            if (efs != null && !efs.matches("fs-[0-9a-f]{8,17}")) {
                throw r.error(at + ".efsFileSystemId", "'" + efs + "' is not an EFS file system id such as fs-b61d8482");
            }
            JsonNode services = r.object(env, at + ".services", true);
            Map<String, ServiceConfig> configs = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> s = services.fields(); s.hasNext(); ) {
                Map.Entry<String, JsonNode> se = s.next();
                String sat = at + ".services." + se.getKey();
                JsonNode svc = r.asObject(se.getValue(), sat);
                r.onlyKeys(svc, sat, Set.of("service", "urls"));
                List<URI> urls = new ArrayList<>();
                for (String u : r.strings(svc, sat + ".urls")) {
                    try {
                        URI uri = URI.create(u);
                        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                            throw new IllegalArgumentException("not http(s)");
                        }
                        urls.add(uri);
                    } catch (IllegalArgumentException ex) {
                        throw r.error(sat + ".urls", "'" + UrlCredentials.shown(u) + "' is not an http(s) URL");
                    }
                }
                String serviceName;
                try {
                    serviceName = ServiceRef.shortName(r.text(env, at, "cluster", true), r.text(svc, sat, "service", true));
                } catch (InvalidInputException ex) {
                    throw r.error(sat + ".service", ex.getMessage().replaceAll("\\.$", ""));
                }
                configs.put(se.getKey(), new ServiceConfig(se.getKey(), serviceName, List.copyOf(urls)));
            }
            environments.put(e.getKey(), new Environment(e.getKey(), r.text(env, at, "region", false), r.text(env, at, "cluster", true),
                    efs, java.util.Collections.unmodifiableMap(configs), installation(r, env, at, configs.keySet(), efs),
                    xmpp(r, env, at), watermark(r, env, at, configs)));
        }
        if (environments.isEmpty()) {
            throw r.error("environments", "must name at least one environment");
        }
        Map<String, PromotionRules> promotion = new LinkedHashMap<>();
        JsonNode rules = r.object(root, "promotion", false);
        if (rules != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = rules.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String at = "promotion." + e.getKey();
                JsonNode rule = r.asObject(e.getValue(), at);
                r.onlyKeys(rule, at, Set.of("environmentVariables", "ignoreContainers"));
                promotion.put(e.getKey(), new PromotionRules(r.strings(rule, at + ".environmentVariables"), r.strings(rule, at + ".ignoreContainers")));
            }
        }
        return new Environments(source, java.util.Collections.unmodifiableMap(environments), Map.copyOf(promotion));
    }

    private static Xmpp xmpp(Reader r, JsonNode env, String at) {
        JsonNode x = r.object(env, at + ".xmpp", false);
        if (x == null) {
            return null;
        }
        String xat = at + ".xmpp";
        r.onlyKeys(x, xat, Set.of("endpoint", "domain", "admin"));
        String endpoint = r.text(x, xat, "endpoint", true);
        try {
            events.jitsi.core.prosody.XmppEndpoint.parse(endpoint);
        } catch (InvalidInputException e) {
            throw r.error(xat + ".endpoint", e.getMessage().replaceAll("\\.$", ""));
        }
        String domain = r.text(x, xat, "domain", false);
        return new Xmpp(endpoint, domain == null ? "meet.jitsi" : domain, r.text(x, xat, "admin", true));
    }

    private static Watermark watermark(Reader r, JsonNode env, String at, Map<String, ServiceConfig> services) {
        JsonNode w = r.object(env, at + ".watermark", false);
        String wat = at + ".watermark";
        String service = Watermark.DEFAULT_SERVICE;
        String container = Watermark.DEFAULT_CONTAINER;
        String dir = Watermark.DEFAULT_DIR;
        if (w != null) {
            r.onlyKeys(w, wat, Set.of("service", "container", "dir"));
            service = java.util.Objects.requireNonNullElse(r.text(w, wat, "service", false), service);
            container = java.util.Objects.requireNonNullElse(r.text(w, wat, "container", false), container);
            dir = java.util.Objects.requireNonNullElse(r.text(w, wat, "dir", false), dir);
            if (!services.containsKey(service)) {
                throw r.error(wat + ".service", "'" + service + "' is not one of this environment's services (" + String.join(", ", services.keySet()) + ")");
            }
            if (!events.jitsi.core.watermark.Watermark.isHostFolder(dir)) {
                throw r.error(wat + ".dir", "must be an absolute folder on the host, such as " + Watermark.DEFAULT_DIR);
            }
        } else if (!services.containsKey(service)) {
            return null;
        }
        return new Watermark(service, container, dir);
    }

    private static Installation installation(Reader r, JsonNode env, String at, Set<String> serviceKeys, String efs) {
        Installation.Capacity capacity = null;
        JsonNode c = r.object(env, at + ".capacity", false);
        if (c != null) {
            String cat = at + ".capacity";
            r.onlyKeys(c, cat, Set.of("autoScalingGroup", "instanceTypes", "scaling", "scaleInProtection"));
            List<String> types = r.strings(c, cat + ".instanceTypes");
            for (String t : types) {
                if (!t.matches("[a-z][a-z0-9-]*\\.[a-z0-9]+")) {
                    throw r.error(cat + ".instanceTypes", "'" + t + "' is not an EC2 instance type such as c5.xlarge");
                }
            }
            Installation.Scaling scaling = null;
            JsonNode s = c.get("scaling");
            if (s != null && !s.isNull()) {
                if (s.isTextual() && s.asText().equals("none")) {
                    scaling = Installation.Scaling.NONE;
                } else if (s.isObject()) {
                    r.onlyKeys(s, cat + ".scaling", Set.of("scaleOutAtCpu", "scaleInAtCpu"));
                    Integer out = r.percent(s, cat + ".scaling", "scaleOutAtCpu");
                    Integer in = r.percent(s, cat + ".scaling", "scaleInAtCpu");
                    if (in >= out) {
                        throw r.error(cat + ".scaling", "scaleInAtCpu (" + in + ") must be below scaleOutAtCpu (" + out + ")");
                    }
                    scaling = new Installation.Scaling(out, in);
                } else {
                    throw r.error(cat + ".scaling", "must be none or a mapping with scaleOutAtCpu and scaleInAtCpu");
                }
            }
            Installation.ScaleInProtection protection = null;
            JsonNode p = r.object(c, cat + ".scaleInProtection", false);
            if (p != null) {
                String pat = cat + ".scaleInProtection";
                r.onlyKeys(p, pat, Set.of("atLeast", "instancesRunning"));
                JsonNode n = p.get("atLeast");
                int atLeast = 0;
                if (n != null && !n.isNull()) {
                    if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < 0) {
                        throw r.error(pat + ".atLeast", "must be a whole number, 0 or more");
                    }
                    atLeast = n.asInt();
                }
                List<String> running = r.strings(p, pat + ".instancesRunning");
                for (String k : running) {
                    if (!serviceKeys.contains(k)) {
                        throw r.error(pat + ".instancesRunning", "'" + k + "' is not a service of this environment; it has: " + String.join(", ", serviceKeys));
                    }
                }
                protection = new Installation.ScaleInProtection(atLeast, running);
            }
            capacity = new Installation.Capacity(r.text(c, cat, "autoScalingGroup", false), types, scaling, protection);
        }
        Installation.Storage storage = null;
        JsonNode st = r.object(env, at + ".storage", false);
        if (st != null) {
            r.onlyKeys(st, at + ".storage", Set.of("name"));
            if (efs == null) {
                throw r.error(at + ".storage", "needs efsFileSystemId: the file system is found by its id and checked for this Name tag");
            }
            storage = new Installation.Storage(r.text(st, at + ".storage", "name", true));
        }
        Installation.LoadBalancer loadBalancer = null;
        JsonNode lb = r.object(env, at + ".loadBalancer", false);
        if (lb != null) {
            String lat = at + ".loadBalancer";
            r.onlyKeys(lb, lat, Set.of("name", "routes"));
            List<Installation.Route> routes = new ArrayList<>();
            int i = 0;
            for (JsonNode route : r.list(lb, lat + ".routes")) {
                String rat = lat + ".routes[" + i++ + "]";
                r.asObject(route, rat);
                r.onlyKeys(route, rat, Set.of("host", "targetGroup", "port"));
                JsonNode port = route.get("port");
                if (port == null || !port.isIntegralNumber() || port.asInt() < 1 || port.asInt() > 65535) {
                    throw r.error(rat + ".port", "must be a port number, 1 to 65535");
                }
                routes.add(new Installation.Route(r.text(route, rat, "host", true), r.text(route, rat, "targetGroup", true), port.asInt()));
            }
            loadBalancer = new Installation.LoadBalancer(r.text(lb, lat, "name", true), List.copyOf(routes));
        }
        Installation.Dns dns = null;
        JsonNode d = r.object(env, at + ".dns", false);
        if (d != null) {
            String dat = at + ".dns";
            r.onlyKeys(d, dat, Set.of("zone", "records"));
            List<Installation.DnsRecord> records = new ArrayList<>();
            int i = 0;
            for (JsonNode record : r.list(d, dat + ".records")) {
                String rat = dat + ".records[" + i++ + "]";
                r.asObject(record, rat);
                r.onlyKeys(record, rat, Set.of("name", "cname"));
                Installation.DnsRecord rec = new Installation.DnsRecord(r.text(record, rat, "name", true), r.text(record, rat, "cname", true));
                if (rec.pointsAtLoadBalancer() && loadBalancer == null) {
                    throw r.error(rat + ".cname", "is loadBalancer, but " + at + " has no loadBalancer section naming it");
                }
                records.add(rec);
            }
            dns = new Installation.Dns(r.text(d, dat, "zone", true), List.copyOf(records));
        }
        return new Installation(capacity, storage, loadBalancer, dns);
    }

    /** Reads values with errors of the form "FILE: KEY: what is wrong". */
    private record Reader(String source) {
        InvalidInputException error(String key, String problem) {
            return new InvalidInputException(source + ": " + (key.isEmpty() ? "" : key + ": ") + problem + ".");
        }

        void onlyKeys(JsonNode node, String at, Set<String> allowed) {
            node.fieldNames().forEachRemaining(k -> {
                if (!allowed.contains(k)) {
                    throw error(at.isEmpty() ? k : at + "." + k, "unknown key; expected one of " + String.join(", ", new java.util.TreeSet<>(allowed)));
                }
            });
        }

        JsonNode asObject(JsonNode node, String at) {
            if (node == null || !node.isObject()) {
                throw error(at, "must be a mapping");
            }
            return node;
        }

        JsonNode object(JsonNode parent, String at, boolean required) {
            String key = at.substring(at.lastIndexOf('.') + 1);
            JsonNode n = parent.get(key);
            if (n == null || n.isNull()) {
                if (required) {
                    throw error(at, "is missing");
                }
                return null;
            }
            return asObject(n, at);
        }

        String text(JsonNode parent, String at, String key, boolean required) {
            JsonNode n = parent.get(key);
            if (n == null || n.isNull()) {
                if (required) {
                    throw error(at + "." + key, "is missing");
                }
                return null;
            }
            if (!n.isTextual() || n.asText().isBlank()) {
                throw error(at + "." + key, "must be a non-empty string");
            }
            return n.asText();
        }

        /** A percentage, 0 to 100. */
        Integer percent(JsonNode parent, String at, String key) {
            JsonNode n = parent.get(key);
            if (n == null || n.isNull()) {
                throw error(at + "." + key, "is missing");
            }
            if (!n.isNumber() || n.asDouble() < 0 || n.asDouble() > 100 || n.asDouble() != Math.rint(n.asDouble())) {
                throw error(at + "." + key, "must be a whole percentage, 0 to 100");
            }
            return n.asInt();
        }

        List<JsonNode> list(JsonNode parent, String at) {
            JsonNode n = parent.get(at.substring(at.lastIndexOf('.') + 1));
            if (n == null || n.isNull()) {
                return List.of();
            }
            if (!n.isArray()) {
                throw error(at, "must be a list");
            }
            List<JsonNode> out = new ArrayList<>();
            n.forEach(out::add);
            return out;
        }

        List<String> strings(JsonNode parent, String at) {
            JsonNode n = parent.get(at.substring(at.lastIndexOf('.') + 1));
            if (n == null || n.isNull()) {
                return List.of();
            }
            if (!n.isArray()) {
                throw error(at, "must be a list");
            }
            List<String> out = new ArrayList<>();
            for (JsonNode item : n) {
                if (!item.isTextual() || item.asText().isBlank()) {
                    throw error(at, "must be a list of non-empty strings");
                }
                out.add(item.asText());
            }
            return List.copyOf(out);
        }
    }
}
