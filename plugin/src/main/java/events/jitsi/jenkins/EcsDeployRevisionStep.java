package events.jitsi.jenkins;

import events.jitsi.core.pipeline.DeployArguments;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import java.util.List;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code ecsDeployRevision}: points an ECS service at a task definition (a revision, a FAMILY:REV or ARN, new
 * images), or with {@code imagesFromCluster} and {@code imagesFromService} promotes another service's images onto this service's own definition. It does
 * not wait; {@code waitForServiceStable} does.
 */
public final class EcsDeployRevisionStep extends EcsServiceStep {
    private Integer revision;
    private String taskDefinition;
    private List<String> images;
    private String imagesFromCluster;
    private String imagesFromService;
    private String imagesFromRegion;
    private List<String> copyEnvironment;
    private List<String> ignoreContainers;
    private String expectSourceTaskDefinition;
    private String expectTaskDefinition;
    private boolean forceNewDeployment;
    private Integer desiredCount;
    private boolean dryRun;
    private boolean allowFamilyChange;
    private boolean force;

    @DataBoundConstructor
    public EcsDeployRevisionStep(String cluster, String service) {
        super(cluster, service);
    }

    public Integer getRevision() {
        return revision;
    }

    @DataBoundSetter
    public void setRevision(Integer revision) {
        this.revision = revision;
    }

    public String getTaskDefinition() {
        return taskDefinition;
    }

    @DataBoundSetter
    public void setTaskDefinition(String taskDefinition) {
        this.taskDefinition = hudson.Util.fixEmptyAndTrim(taskDefinition);
    }

    public List<String> getImages() {
        return images;
    }

    /** CONTAINER=IMAGE entries, e.g. {@code ['web=jitsi/web:stable-10133']}; checked when the step runs. */
    @DataBoundSetter
    public void setImages(List<String> images) {
        this.images = StepLists.entries(images);
    }

    /** The images one per line, for the configuration form. */
    public String getImagesLines() {
        return StepLists.lines(images);
    }

    public String getImagesFromCluster() {
        return imagesFromCluster;
    }

    /** With {@code imagesFromService}: promote that service's images onto this service's own task definition. */
    @DataBoundSetter
    public void setImagesFromCluster(String imagesFromCluster) {
        this.imagesFromCluster = hudson.Util.fixEmptyAndTrim(imagesFromCluster);
    }

    public String getImagesFromService() {
        return imagesFromService;
    }

    @DataBoundSetter
    public void setImagesFromService(String imagesFromService) {
        this.imagesFromService = hudson.Util.fixEmptyAndTrim(imagesFromService);
    }

    public String getImagesFromRegion() {
        return imagesFromRegion;
    }

    /** The source service's region when it differs from this one's. */
    @DataBoundSetter
    public void setImagesFromRegion(String imagesFromRegion) {
        this.imagesFromRegion = hudson.Util.fixEmptyAndTrim(imagesFromRegion);
    }

    public List<String> getCopyEnvironment() {
        return copyEnvironment;
    }

    @DataBoundSetter
    public void setCopyEnvironment(List<String> copyEnvironment) {
        this.copyEnvironment = StepLists.entries(copyEnvironment);
    }

    public String getCopyEnvironmentLines() {
        return StepLists.lines(copyEnvironment);
    }

    public List<String> getIgnoreContainers() {
        return ignoreContainers;
    }

    @DataBoundSetter
    public void setIgnoreContainers(List<String> ignoreContainers) {
        this.ignoreContainers = StepLists.entries(ignoreContainers);
    }

    public String getIgnoreContainersLines() {
        return StepLists.lines(ignoreContainers);
    }

    public String getExpectSourceTaskDefinition() {
        return expectSourceTaskDefinition;
    }

    @DataBoundSetter
    public void setExpectSourceTaskDefinition(String expectSourceTaskDefinition) {
        this.expectSourceTaskDefinition = hudson.Util.fixEmptyAndTrim(expectSourceTaskDefinition);
    }

    public String getExpectTaskDefinition() {
        return expectTaskDefinition;
    }

    @DataBoundSetter
    public void setExpectTaskDefinition(String expectTaskDefinition) {
        this.expectTaskDefinition = hudson.Util.fixEmptyAndTrim(expectTaskDefinition);
    }

    public boolean isForceNewDeployment() {
        return forceNewDeployment;
    }

    @DataBoundSetter
    public void setForceNewDeployment(boolean forceNewDeployment) {
        this.forceNewDeployment = forceNewDeployment;
    }

    public Integer getDesiredCount() {
        return desiredCount;
    }

    @DataBoundSetter
    public void setDesiredCount(Integer desiredCount) {
        this.desiredCount = desiredCount;
    }

    public boolean isDryRun() {
        return dryRun;
    }

    @DataBoundSetter
    public void setDryRun(boolean dryRun) {
        this.dryRun = dryRun;
    }

    public boolean isAllowFamilyChange() {
        return allowFamilyChange;
    }

    /** Allow a task definition of another family than the service runs (each family holds its environment's EFS, secrets, roles). */
    @DataBoundSetter
    public void setAllowFamilyChange(boolean allowFamilyChange) {
        this.allowFamilyChange = allowFamilyChange;
    }

    public boolean isForce() {
        return force;
    }

    /** Replace a deployment of the service that is still rolling out. */
    @DataBoundSetter
    public void setForce(boolean force) {
        this.force = force;
    }

    /** The step's arguments as the engine takes them, checked there. */
    DeployArguments arguments() {
        return new DeployArguments(awsAccess(), getCluster(), getService(), revision, taskDefinition, images, forceNewDeployment, desiredCount,
                allowFamilyChange, force, imagesFromCluster, imagesFromService, imagesFromRegion, copyEnvironment, ignoreContainers,
                expectSourceTaskDefinition, expectTaskDefinition, dryRun);
    }

    @Override
    public StepExecution start(StepContext context) {
        return QuickStepExecution.withAws(context, "ecsDeployRevision", (steps, c) -> steps.ecsDeployRevision(arguments()));
    }

    @Extension
    public static final class DescriptorImpl extends AwsStepDescriptor {
        @Override
        public String getFunctionName() {
            return "ecsDeployRevision";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "Deploy a task-definition revision to an ECS service";
        }

    }
}
