package events.jitsi.core.pipeline;

import events.jitsi.core.InvalidInputException;
import events.jitsi.core.ecs.ContainerImages;
import events.jitsi.core.ecs.DeployRequest;
import events.jitsi.core.ecs.PromotionRequest;
import events.jitsi.core.ecs.PromotionRules;
import events.jitsi.core.ecs.ServiceRef;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ecsDeployRevision}'s arguments, checked once, here, whoever gives them: the plugin's step from its fields, the
 * shared library's tests from Groovy's named arguments ({@link #of}). Two modes: a deploy ({@code revision},
 * {@code taskDefinition}, {@code images}, {@code forceNewDeployment}, {@code desiredCount}) or a promotion, the images
 * taken from another service ({@code imagesFromCluster} and {@code imagesFromService}).
 */
public record DeployArguments(AwsAccess aws, String cluster, String service, Integer revision, String taskDefinition, List<String> images,
                              boolean forceNewDeployment, Integer desiredCount, boolean allowFamilyChange, boolean force,
                              String imagesFromCluster, String imagesFromService, String imagesFromRegion, List<String> copyEnvironment,
                              List<String> ignoreContainers, String expectSourceTaskDefinition, String expectTaskDefinition, boolean dryRun) {
    static final String STEP = "ecsDeployRevision";
    public static final Set<String> NAMES = StepArguments.withAws("cluster", "service", "revision", "taskDefinition", "images",
            "imagesFromCluster", "imagesFromService", "imagesFromRegion", "copyEnvironment", "ignoreContainers", "expectSourceTaskDefinition",
            "expectTaskDefinition", "forceNewDeployment", "desiredCount", "dryRun", "allowFamilyChange", "force");

    public DeployArguments {
        aws = aws == null ? AwsAccess.DEFAULT : aws;
        cluster = StepArguments.required(STEP, "cluster", cluster);
        service = StepArguments.required(STEP, "service", service);
        taskDefinition = StepArguments.blankToNull(taskDefinition);
        imagesFromCluster = StepArguments.blankToNull(imagesFromCluster);
        imagesFromService = StepArguments.blankToNull(imagesFromService);
        imagesFromRegion = StepArguments.blankToNull(imagesFromRegion);
        expectSourceTaskDefinition = StepArguments.blankToNull(expectSourceTaskDefinition);
        expectTaskDefinition = StepArguments.blankToNull(expectTaskDefinition);
        images = images == null ? List.of() : List.copyOf(images);
        copyEnvironment = copyEnvironment == null ? List.of() : List.copyOf(copyEnvironment);
        ignoreContainers = ignoreContainers == null ? List.of() : List.copyOf(ignoreContainers);
        boolean promotes = imagesFromCluster != null || imagesFromService != null || imagesFromRegion != null;
        if (promotes) {
            if (revision != null || taskDefinition != null || !images.isEmpty() || allowFamilyChange || force) {
                throw new InvalidInputException(STEP + ": imagesFromCluster/imagesFromService take the images from another "
                        + "service; do not also give revision, taskDefinition, images, allowFamilyChange or force.");
            }
            StepArguments.required(STEP, "imagesFromCluster", imagesFromCluster);
            StepArguments.required(STEP, "imagesFromService", imagesFromService);
        } else {
            ContainerImages.parse(images, STEP + ": 'images' entry");
            if (dryRun) {
                throw new InvalidInputException(STEP + ": dryRun is for promotions (imagesFromCluster/imagesFromService); "
                        + "a plain deploy shows what it does in its result.");
            }
        }
    }

    /** From Pipeline-style named arguments; an unknown name or a value of the wrong kind is bad input naming it. */
    public static DeployArguments of(Map<String, ?> named) {
        StepArguments a = new StepArguments(STEP, named, NAMES);
        if (named != null && named.get("images") instanceof Map) {
            throw new InvalidInputException(STEP + ": 'images' takes a list of CONTAINER=IMAGE strings such as "
                    + "['web=jitsi/web:stable-10133', 'prosody=jitsi/prosody:stable-10133'], not a map.");
        }
        return new DeployArguments(a.access(), a.text("cluster"), a.text("service"), a.integer("revision"), a.text("taskDefinition"),
                a.strings("images"), a.flag("forceNewDeployment"), a.integer("desiredCount"), a.flag("allowFamilyChange"), a.flag("force"),
                a.text("imagesFromCluster"), a.text("imagesFromService"), a.text("imagesFromRegion"), a.strings("copyEnvironment"),
                a.strings("ignoreContainers"), a.text("expectSourceTaskDefinition"), a.text("expectTaskDefinition"), a.flag("dryRun"));
    }

    /** Whether this is a promotion: the images come from another service. */
    public boolean promotes() {
        return imagesFromCluster != null;
    }

    /** Where the promotion's images are read: the source's region, else the step's. */
    AwsAccess sourceAccess() {
        return imagesFromRegion == null ? aws : new AwsAccess(imagesFromRegion, aws.credentialsId(), aws.endpointUrl());
    }

    DeployRequest deployRequest() {
        return new DeployRequest(cluster, service, revision, taskDefinition, ContainerImages.parse(images, STEP + ": 'images' entry"),
                forceNewDeployment, desiredCount, allowFamilyChange, force);
    }

    PromotionRequest promotionRequest() {
        return new PromotionRequest(imagesFromCluster + "/" + imagesFromService, new ServiceRef(imagesFromCluster, imagesFromService),
                cluster + "/" + service, new ServiceRef(cluster, service), new PromotionRules(copyEnvironment, ignoreContainers),
                expectSourceTaskDefinition, expectTaskDefinition);
    }
}
