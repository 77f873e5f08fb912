package events.jitsi.jenkins;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import edu.umd.cs.findbugs.annotations.NonNull;
import events.jitsi.core.PrintableText;
import events.jitsi.core.pipeline.PipelineSteps;
import events.jitsi.core.pipeline.ProsodyArguments;
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
 * over the meeting's XMPP endpoint as one of Prosody's admins (XEP-0133; no agent), or with prosodyctl on the agent of
 * the enclosing {@code node} (in a container found by the ECS agent's labels, a named container, or locally). The
 * passwords go to Prosody only (an XMPP form, or prosodyctl's stdin): never into the log or an argument list.
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
    private String via;
    private String endpoint;
    private String adminCredentialsId;

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

    public String getVia() {
        return via;
    }

    /** xmpp (the meeting's XMPP endpoint, no agent; the default when endpoint is set) or docker (prosodyctl on the agent). */
    @DataBoundSetter
    public void setVia(String via) {
        this.via = hudson.Util.fixEmptyAndTrim(via);
    }

    public String getEndpoint() {
        return endpoint;
    }

    @DataBoundSetter
    public void setEndpoint(String endpoint) {
        this.endpoint = hudson.Util.fixEmptyAndTrim(endpoint);
    }

    public String getAdminCredentialsId() {
        return adminCredentialsId;
    }

    @DataBoundSetter
    public void setAdminCredentialsId(String adminCredentialsId) {
        this.adminCredentialsId = hudson.Util.fixEmptyAndTrim(adminCredentialsId);
    }

    ProsodyArguments arguments() {
        return new ProsodyArguments(credentialsId, user, domain, config, container, cluster, local, unregister, via, endpoint,
                adminCredentialsId);
    }

    @Override
    public StepExecution start(StepContext context) {
        return new QuickStepExecution(context, "prosodyRegister", c -> {
            ProsodyArguments arguments = arguments();
            Run<?, ?> run = c.get(Run.class);
            StandardUsernamePasswordCredentials credential = credential(run, arguments.credentialsId(), "credentialsId");
            TaskListener listener = c.get(TaskListener.class);
            if (arguments.overXmpp()) {
                // Over the meeting's XMPP endpoint from the controller: no agent, no host access.
                String adminId = arguments.adminCredentialsId();
                StandardUsernamePasswordCredentials admin = adminId == null ? null : credential(run, adminId, "adminCredentialsId");
                char[] password = credential.getPassword().getPlainText().toCharArray();
                char[] adminPassword = admin == null ? null : admin.getPassword().getPlainText().toCharArray();
                try {
                    return new HashMap<>(PipelineSteps.prosodyRegister(arguments, credential.getUsername(), password,
                            admin == null ? null : admin.getUsername(), adminPassword, "docker", listener.getLogger()::println));
                } finally {
                    Arrays.fill(password, '\0');
                    if (adminPassword != null) {
                        Arrays.fill(adminPassword, '\0');
                    }
                }
            }
            FilePath workspace = c.get(FilePath.class);
            if (workspace == null) {
                throw new AbortException("prosodyRegister: via: 'docker' runs prosodyctl on an agent that is one of the cluster's hosts; "
                        + "run the step inside node('LABEL') { }, or give endpoint and adminCredentialsId to go over XMPP without one.");
            }
            // The password goes to the agent inside the callable and to prosodyctl's stdin only; every copy made of
            // it here is wiped once the agent has answered (the agent wipes its own).
            // Agents get the arguments as JDK values, which remoting's class filter lets through.
            OnAgent onAgent = new OnAgent(arguments.toMap(), credential.getUsername(), credential.getPassword().getPlainText().toCharArray(), listener);
            try {
                return workspace.act(onAgent);
            } finally {
                onAgent.wipe();
            }
        });
    }

    private static StandardUsernamePasswordCredentials credential(Run<?, ?> run, String id, String argument) throws AbortException {
        StandardUsernamePasswordCredentials credential = id == null ? null
                : CredentialsProvider.findCredentialById(id, StandardUsernamePasswordCredentials.class, run, Collections.emptyList());
        if (credential == null) {
            throw new AbortException("prosodyRegister: " + argument + ": no username/password credential with id '" + PrintableText.of(id)
                    + "' is available to this build: add one of kind \"Username with password\" under Credentials, in a scope this job can use.");
        }
        CredentialsProvider.track(run, credential);
        return credential;
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
                return new HashMap<>(PipelineSteps.prosodyRegister(ProsodyArguments.of(arguments), username, password, null, null, "docker",
                        listener.getLogger()::println));
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
            // No FilePath: over XMPP the step needs no agent; via: 'docker' asks for one itself.
            return Set.of(Run.class, TaskListener.class);
        }

        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
            return CredentialsIds.fill(item, credentialsId, StandardUsernamePasswordCredentials.class);
        }

        public FormValidation doCheckCredentialsId(@AncestorInPath Item item, @QueryParameter String value) {
            return CredentialsIds.check(item, value, StandardUsernamePasswordCredentials.class, true);
        }

        public ListBoxModel doFillAdminCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String adminCredentialsId) {
            return CredentialsIds.fill(item, adminCredentialsId, StandardUsernamePasswordCredentials.class);
        }

        public FormValidation doCheckAdminCredentialsId(@AncestorInPath Item item, @QueryParameter String value) {
            if (value == null || value.isBlank()) {
                return FormValidation.ok("Needed over XMPP only: a username/password credential of one of Prosody's admins.");
            }
            return CredentialsIds.check(item, value, StandardUsernamePasswordCredentials.class, true);
        }

        public ListBoxModel doFillViaItems() {
            ListBoxModel items = new ListBoxModel();
            items.add("xmpp when an endpoint is given, else docker", "");
            items.add("xmpp: the meeting's XMPP endpoint, no agent", "xmpp");
            items.add("docker: prosodyctl on an agent that is a cluster host", "docker");
            return items;
        }
    }
}
