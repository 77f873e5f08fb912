package events.jitsi.jenkins;

import java.util.Set;
import hudson.model.TaskListener;
import hudson.model.Run;
import hudson.EnvVars;
import com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials;
import hudson.model.Item;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import events.jitsi.core.pipeline.AwsAccess;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/** The arguments every step that talks to ECS takes: region, credentialsId and endpointUrl. */
public abstract class AwsStep extends Step {
    private String region;
    private String credentialsId;
    private String endpointUrl;

    public String getRegion() {
        return region;
    }

    /** AWS region; default AWS_REGION of the build. */
    @DataBoundSetter
    public void setRegion(String region) {
        this.region = hudson.Util.fixEmptyAndTrim(region);
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    /** An "AWS Credentials" credential; default the controller's default AWS chain. */
    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = hudson.Util.fixEmptyAndTrim(credentialsId);
    }

    public String getEndpointUrl() {
        return endpointUrl;
    }

    /** Another ECS endpoint, e.g. a simulator. */
    @DataBoundSetter
    public void setEndpointUrl(String endpointUrl) {
        this.endpointUrl = hudson.Util.fixEmptyAndTrim(endpointUrl);
    }

    /** How the step reaches AWS, as the engine takes it. */
    AwsAccess awsAccess() {
        return new AwsAccess(region, credentialsId, endpointUrl);
    }

    /** The credentials drop-down for AWS steps. */
    public abstract static class AwsStepDescriptor extends StepDescriptor {
        /**
         * The build (for credentials), its log and its environment (AWS_* credentials and region): no agent, since
         * the AWS calls run on the controller; a step that also needs a workspace asks for one itself.
         */
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class, EnvVars.class);
        }

        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
            return CredentialsIds.fill(item, credentialsId, AmazonWebServicesCredentials.class);
        }

        public FormValidation doCheckCredentialsId(@AncestorInPath Item item, @QueryParameter String value) {
            return CredentialsIds.check(item, value, AmazonWebServicesCredentials.class, false);
        }
    }
}
