package events.jitsi.jenkins;

import hudson.ProxyConfiguration;
import hudson.util.Secret;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;
import jenkins.model.Jenkins;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;

/**
 * The HTTP client of the AWS calls the controller makes, through the proxy set under Manage Jenkins > System > HTTP
 * Proxy Configuration (and only that: the controller's own proxy system properties and variables are not read, so
 * what the page says is what happens).
 */
final class JenkinsProxy {
    private JenkinsProxy() {
    }

    static SdkHttpClient.Builder<?> httpClient() {
        ApacheHttpClient.Builder builder = ApacheHttpClient.builder();
        Jenkins jenkins = Jenkins.getInstanceOrNull();
        ProxyConfiguration proxy = jenkins == null ? null : jenkins.getProxy();
        if (proxy == null || proxy.getName() == null || proxy.getName().isBlank()) {
            return builder;
        }
        Set<String> direct = new LinkedHashSet<>();
        // Jenkins' no-proxy host patterns, which it turns into regular expressions, as the SDK matches them.
        for (Pattern p : proxy.getNoProxyHostPatterns()) {
            direct.add(p.pattern());
        }
        software.amazon.awssdk.http.apache.ProxyConfiguration.Builder config = software.amazon.awssdk.http.apache.ProxyConfiguration.builder()
                .endpoint(URI.create("http://" + proxy.getName() + ":" + proxy.getPort()))
                .nonProxyHosts(direct)
                .useSystemPropertyValues(false)
                .useEnvironmentVariableValues(false);
        if (proxy.getUserName() != null && !proxy.getUserName().isBlank()) {
            config.username(proxy.getUserName()).password(Secret.toString(proxy.getSecretPassword()));
        }
        return builder.proxyConfiguration(config.build());
    }
}
