package events.jitsi.jenkins;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import edu.umd.cs.findbugs.annotations.NonNull;
import events.jitsi.core.PrintableText;
import events.jitsi.core.pipeline.PipelineSteps;
import hudson.AbortException;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import java.io.File;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import jenkins.MasterToSlaveFileCallable;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * {@code prosodyRegister}: creates a Prosody account (or changes its password) from a username/password credential,
 * with prosodyctl on the agent of the enclosing {@code node} (in a container found by the ECS agent's labels, a named
 * container, or locally). The password goes to prosodyctl's stdin only: never into the log or an argument list.
 */
public final class ProsodyRegisterStep extends Step {
    private final String credentialsId;
    private String user;
    private String domain;
    private String config;
    private String container;
    private String cluster;
    private boolean local;
    private boolean unregister;

    @DataBoundConstructor
    public ProsodyRegisterStep(String credentialsId) {
        this.credentialsId = credentialsId;
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    public String getUser() {
        return user;
    }

    /** The account name; default: the credential's username. */
    @DataBoundSetter
    public void setUser(String user) {
        this.user = hudson.Util.fixEmptyAndTrim(user);
    }

    public String getDomain() {
        return domain;
    }

    @DataBoundSetter
    public void setDomain(String domain) {
        this.domain = hudson.Util.fixEmptyAndTrim(domain);
    }

    public String getConfig() {
        return config;
    }

    @DataBoundSetter
    public void setConfig(String config) {
        this.config = hudson.Util.fixEmptyAndTrim(config);
    }

    public String getContainer() {
        return container;
    }

    @DataBoundSetter
    public void setContainer(String container) {
        this.container = hudson.Util.fixEmptyAndTrim(container);
    }

    public String getCluster() {
        return cluster;
    }

    @DataBoundSetter
    public void setCluster(String cluster) {
        this.cluster = hudson.Util.fixEmptyAndTrim(cluster);
    }

    public boolean isLocal() {
        return local;
    }

    @DataBoundSetter
    public void setLocal(boolean local) {
        this.local = local;
    }

    public boolean isUnregister() {
        return unregister;
    }

    @DataBoundSetter
    public void setUnregister(boolean unregister) {
        this.unregister = unregister;
    }

    HashMap<String, Object> arguments() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("credentialsId", credentialsId);
        a.put("user", user);
        a.put("domain", domain);
        a.put("config", config);
        a.put("container", container);
        a.put("cluster", cluster);
        a.put("local", local);
        a.put("unregister", unregister);
        a.values().removeIf(v -> v == null);
        return new HashMap<>(a);
    }

    @Override
    public StepExecution start(StepContext context) {
        HashMap<String, Object> arguments = arguments();
        return new QuickStepExecution(context, "prosodyRegister", c -> {
            Run<?, ?> run = c.get(Run.class);
            String id = (String) arguments.get("credentialsId");
            StandardUsernamePasswordCredentials credential = id == null ? null
                    : CredentialsProvider.findCredentialById(id, StandardUsernamePasswordCredentials.class, run, Collections.emptyList());
            if (credential == null) {
                throw new AbortException("prosodyRegister: no username/password credential with id '" + PrintableText.of(id)
                        + "' is available to this build: add one of kind \"Username with password\" under Credentials, in a scope this job can use.");
            }
            CredentialsProvider.track(run, credential);
            // The password goes to the agent inside the callable and to prosodyctl's stdin only; every copy made of
            // it here is wiped once the agent has answered (the agent wipes its own).
            OnAgent onAgent = new OnAgent(arguments, credential.getUsername(), credential.getPassword().getPlainText().toCharArray(),
                    c.get(TaskListener.class));
            try {
                return c.get(FilePath.class).act(onAgent);
            } finally {
                onAgent.wipe();
            }
        });
    }

    /** Runs on the agent, where the Docker daemon (or prosodyctl) is. */
    private static final class OnAgent extends MasterToSlaveFileCallable<HashMap<String, Object>> {
        private static final long serialVersionUID = 1L;
        private final HashMap<String, Object> arguments;
        private final String username;
        private final char[] password;
        private final TaskListener listener;

        /** Takes {@code password} over: the caller keeps no other copy and wipes this one with {@link #wipe()}. */
        OnAgent(HashMap<String, Object> arguments, String username, char[] password, TaskListener listener) {
            this.arguments = arguments;
            this.username = username;
            this.password = password;
            this.listener = listener;
        }

        void wipe() {
            Arrays.fill(password, '\0');
        }

        @Override
        public HashMap<String, Object> invoke(File workspace, VirtualChannel channel) {
            try {
                return new HashMap<>(PipelineSteps.prosodyRegister(arguments, username, password, "docker", listener.getLogger()::println));
            } finally {
                wipe();
            }
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "prosodyRegister";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "Register a Prosody (Jitsi) account";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, FilePath.class, TaskListener.class);
        }

        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
            return CredentialsIds.fill(item, credentialsId, StandardUsernamePasswordCredentials.class);
        }

        public FormValidation doCheckCredentialsId(@AncestorInPath Item item, @QueryParameter String value) {
            return CredentialsIds.check(item, value, StandardUsernamePasswordCredentials.class, true);
        }
    }
}
