package events.jitsi.jenkins;

import edu.umd.cs.findbugs.annotations.NonNull;
import events.jitsi.core.pipeline.PipelineSteps;
import events.jitsi.core.pipeline.WatermarkArguments;
import hudson.AbortException;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import hudson.util.ListBoxModel;
import java.io.File;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import jenkins.MasterToSlaveFileCallable;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code jitsiWatermark}: status, hide, restore or replace the meeting watermark in the EFS folder. With
 * {@code via: 'ssm'} (the default when cluster and service are given) the controller sends the change through SSM Run
 * Command to the EC2 host that runs the service's web task: no agent. With {@code via: 'local'} it runs on the agent of
 * the enclosing {@code node}, where the EFS is mounted. A replacement file is read from the workspace and must pass
 * the SVG safety rules; {@code check} tests a file and installs nothing.
 */
public final class JitsiWatermarkStep extends AwsStep {
    private final String action;
    private String file;
    private String dir;
    private String via;
    private String cluster;
    private String service;
    private String container;

    @DataBoundConstructor
    public JitsiWatermarkStep(String action) {
        this.action = action;
    }

    public String getAction() {
        return action;
    }

    public String getFile() {
        return file;
    }

    /** With action 'replace': the SVG, relative to the workspace. */
    @DataBoundSetter
    public void setFile(String file) {
        this.file = hudson.Util.fixEmptyAndTrim(file);
    }

    public String getDir() {
        return dir;
    }

    /** The images folder on the EFS mount; default /mnt/efs/fs1/jitsi/jitsi-meet/images. */
    @DataBoundSetter
    public void setDir(String dir) {
        this.dir = hudson.Util.fixEmptyAndTrim(dir);
    }

    public String getVia() {
        return via;
    }

    /** ssm (Run Command on the host that runs the web task, no agent) or local (on the agent, where the EFS is mounted). */
    @DataBoundSetter
    public void setVia(String via) {
        this.via = hudson.Util.fixEmptyAndTrim(via);
    }

    public String getCluster() {
        return cluster;
    }

    @DataBoundSetter
    public void setCluster(String cluster) {
        this.cluster = hudson.Util.fixEmptyAndTrim(cluster);
    }

    public String getService() {
        return service;
    }

    /** The ECS service whose tasks run the web container. */
    @DataBoundSetter
    public void setService(String service) {
        this.service = hudson.Util.fixEmptyAndTrim(service);
    }

    public String getContainer() {
        return container;
    }

    /** The web container's name in the task definition; default web. */
    @DataBoundSetter
    public void setContainer(String container) {
        this.container = hudson.Util.fixEmptyAndTrim(container);
    }

    WatermarkArguments arguments() {
        return new WatermarkArguments(awsAccess(), action, file, dir, via, cluster, service, container);
    }

    @Override
    public StepExecution start(StepContext context) {
        return new QuickStepExecution(context, "jitsiWatermark", c -> {
            TaskListener listener = c.get(TaskListener.class);
            FilePath workspace = c.get(FilePath.class);
            WatermarkArguments checked = arguments();
            if (checked.overSsm()) {
                return overSsm(c, checked, workspace, listener);
            }
            // Agents get the arguments as JDK values, which remoting's class filter lets through.
            HashMap<String, Object> arguments = checked.toMap();
            if (workspace == null) {
                throw new AbortException("jitsiWatermark: " + ("check".equals(action) ? "check reads the file from the workspace"
                        : "via: 'local' works in the EFS folder of the agent") + "; run the step inside node('LABEL') { }, or give cluster "
                        + "and service to go through SSM Run Command without one.");
            }
            return workspace.act(new OnAgent(arguments, listener));
        });
    }

    /** From the controller: the replacement (if any) is read on the agent with the workspace's rules, then sent through SSM. */
    private static Map<String, Object> overSsm(StepContext c, WatermarkArguments arguments, FilePath workspace, TaskListener listener)
            throws IOException, InterruptedException {
        byte[] replacement = null;
        if (arguments.file() != null) {
            if (workspace == null) {
                throw new AbortException("jitsiWatermark: replace reads the SVG from the workspace; run it inside node { checkout scm ... }.");
            }
            replacement = workspace.act(new ReadUpload(arguments.toMap()));
        }
        try (AwsClients clients = new AwsClients(c)) {
            return new PipelineSteps(clients, SharedWaits.get().scheduler(), listener.getLogger()::println)
                    .jitsiWatermarkOverSsm(arguments, replacement);
        }
    }

    /** Runs on the agent: the replacement SVG's bytes, read with the workspace's rules. */
    private static final class ReadUpload extends MasterToSlaveFileCallable<byte[]> {
        private static final long serialVersionUID = 1L;
        private final HashMap<String, Object> arguments;

        ReadUpload(HashMap<String, Object> arguments) {
            this.arguments = arguments;
        }

        @Override
        public byte[] invoke(File workspace, VirtualChannel channel) {
            return PipelineSteps.watermarkFile(WatermarkArguments.of(arguments), workspace.toPath());
        }
    }

    /** Runs on the agent, where the EFS folder is. */
    private static final class OnAgent extends MasterToSlaveFileCallable<HashMap<String, Object>> {
        private static final long serialVersionUID = 1L;
        private final HashMap<String, Object> arguments;
        private final TaskListener listener;

        OnAgent(HashMap<String, Object> arguments, TaskListener listener) {
            this.arguments = arguments;
            this.listener = listener;
        }

        @Override
        public HashMap<String, Object> invoke(File workspace, VirtualChannel channel) {
            return new HashMap<>(PipelineSteps.jitsiWatermark(WatermarkArguments.of(arguments), workspace.toPath(),
                    listener.getLogger()::println));
        }
    }

    @Extension
    public static final class DescriptorImpl extends AwsStepDescriptor {
        @Override
        public String getFunctionName() {
            return "jitsiWatermark";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "Show, hide, restore or replace the Jitsi meeting watermark";
        }


        public ListBoxModel doFillViaItems() {
            ListBoxModel items = new ListBoxModel();
            items.add("ssm when cluster and service are given, else local", "");
            items.add("ssm: Run Command on the host that runs the web task, no agent", "ssm");
            items.add("local: on this agent, where the EFS is mounted", "local");
            return items;
        }

        public ListBoxModel doFillActionItems() {
            ListBoxModel actions = new ListBoxModel();
            for (String action : new String[] {"status", "hide", "restore", "replace", "check"}) {
                actions.add(action);
            }
            return actions;
        }
    }
}
