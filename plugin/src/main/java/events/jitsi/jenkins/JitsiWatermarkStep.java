package events.jitsi.jenkins;

import edu.umd.cs.findbugs.annotations.NonNull;
import events.jitsi.core.pipeline.PipelineSteps;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import hudson.util.ListBoxModel;
import java.io.File;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import jenkins.MasterToSlaveFileCallable;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code jitsiWatermark}: status, hide, restore or replace the meeting watermark in the EFS folder, on the agent of
 * the enclosing {@code node} (the EFS is mounted there, not on the controller). A replacement file is read from the
 * workspace and must pass the SVG safety rules.
 */
public final class JitsiWatermarkStep extends Step {
    private final String action;
    private String file;
    private String dir;

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

    HashMap<String, Object> arguments() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("action", action);
        a.put("file", file);
        a.put("dir", dir);
        a.values().removeIf(v -> v == null);
        return new HashMap<>(a);
    }

    @Override
    public StepExecution start(StepContext context) {
        HashMap<String, Object> arguments = arguments();
        return new QuickStepExecution(context, "jitsiWatermark",
                c -> c.get(FilePath.class).act(new OnAgent(arguments, c.get(TaskListener.class))));
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
            return new HashMap<>(PipelineSteps.jitsiWatermark(arguments, workspace.toPath(), listener.getLogger()::println));
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "jitsiWatermark";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "Show, hide, restore or replace the Jitsi meeting watermark";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(FilePath.class, TaskListener.class);
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
