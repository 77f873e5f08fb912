#!/usr/bin/env groovy

import events.jitsi.JobSettings

/**
 * The promote job: what runs on staging goes to production, with one click and an approval.
 * Stages: deploy to staging (when STAGING_REVISION is given), verify staging, plan, approval, production, verify production.
 * See promoteToProduction.txt for the settings.
 */
def call(Map config = [:]) {
    Map settings = JobSettings.merge(this, 'promoteToProduction', [
        from                  : 'staging',
        to                    : 'production',
        services              : ['jitsi', 'matrix'],
        environments          : null,
        submitter             : 'jitsi-operators',
        approvalTimeoutMinutes: 60,
        rolloutTimeoutMinutes : 30,
        region                : null,
        credentialsId         : null,
        endpointUrl           : null,
        agent                 : null,
    ], config)

    properties([
        disableConcurrentBuilds(),
        parameters([
            choice(name: 'SERVICE', choices: settings.services, description: 'The service to promote from ' + settings.from + ' to ' + settings.to + '.'),
            string(name: 'STAGING_REVISION', defaultValue: '', description: 'Optional: first deploy this revision of the staging task definition to staging, wait for it and verify it.'),
            booleanParam(name: 'DRY_RUN', defaultValue: false, description: 'Only plan: show the diff production would get, and change nothing.'),
        ]),
    ])

    String service = params.SERVICE ?: settings.services[0]
    String yaml = settings.environments ?: libraryResource('events/jitsi/environments.yaml')
    Map topology = jitsiEnvironments(yaml: yaml)
    Map source = topology.environments[settings.from]
    Map target = topology.environments[settings.to]
    if (source == null || target == null) {
        error("The environments have no '${settings.from}' or '${settings.to}': they have ${topology.environments.keySet().join(', ')}")
    }
    Map sourceService = source.services[service]
    Map targetService = target.services[service]
    if (sourceService == null || targetService == null) {
        error("Service '${service}' is not in both ${settings.from} and ${settings.to}")
    }
    Map rules = topology.promotion[service] ?: [environmentVariables: [], ignoreContainers: []]
    Map aws = JobSettings.aws(settings)
    Map sourceAws = source.region ? aws + [region: source.region] : aws
    Map targetAws = target.region ? aws + [region: target.region] : aws

    Map plan
    // The workspace (reports, the plan) needs an agent; the approval waits without one.
    JobSettings.onAgent(this, settings.agent) {
        stage("Deploy to ${settings.from}") {
            if (params.STAGING_REVISION) {
                Map deployed = ecsDeployRevision(sourceAws + [cluster: source.cluster, service: sourceService.service, revision: params.STAGING_REVISION])
                waitForServiceStable(sourceAws + [cluster: source.cluster, service: sourceService.service, deploymentId: deployed.deploymentId,
                                                  timeout: settings.rolloutTimeoutMinutes, rollbackOnFailure: true,
                                                  rollbackTo: deployed.previousTaskDefinitionArn])
            } else {
                echo "No STAGING_REVISION: promoting what ${settings.from} runs now."
            }
        }

        stage("Verify ${settings.from}") {
            // The services a promotion reads and changes; the nightly build verifies the rest of the installation
            // (with the read-only policy's wider permissions, which this job does not need).
            Map report = verifyEnvironments(aws + [environments: yaml, only: [settings.from], checks: ['ecs'], junit: "verify-${settings.from}.xml"])
            junit(testResults: "verify-${settings.from}.xml", allowEmptyResults: false)
            if (!report.passed) {
                currentBuild.description = "Not promoted: ${settings.from} fails verification"
                error("${settings.from} does not pass verification, so it is not promoted:\n" + report.failures.join('\n'))
            }
        }

        stage('Plan') {
            plan = ecsDeployRevision(targetAws + [cluster: target.cluster, service: targetService.service,
                                                  imagesFromCluster: source.cluster, imagesFromService: sourceService.service, imagesFromRegion: sourceAws.region,
                                                  copyEnvironment: rules.environmentVariables, ignoreContainers: rules.ignoreContainers,
                                                  dryRun: true])
            writeFile(file: 'promotion-plan.diff', text: plan.diff ?: "No change: ${settings.to} already runs ${settings.from}'s images.\n")
            archiveArtifacts(artifacts: 'promotion-plan.diff')
        }
    }
    String what = describeImages(plan.images)
    if (!plan.changed) {
        currentBuild.description = "Nothing to promote: ${service} in ${settings.to} already runs the images of ${shortName(plan.sourceTaskDefinitionArn)}"
        return plan
    }
    if (params.DRY_RUN) {
        currentBuild.description = "Dry run: would promote ${service} ${what} (${shortName(plan.sourceTaskDefinitionArn)} -> ${settings.to} ${shortName(plan.previousTaskDefinitionArn)})"
        return plan
    }

    stage('Approval') {
        try {
            timeout(time: settings.approvalTimeoutMinutes, unit: 'MINUTES') {
                input(message: "Promote ${service} to ${settings.to}?\n${what}\n\n${plan.diff}", ok: "Promote to ${settings.to}",
                      submitter: settings.submitter)
            }
        } catch (err) {
            currentBuild.description = "Not promoted: the approval was rejected or timed out (${service} ${what})"
            throw err
        }
    }

    Map result = plan
    lock(resource: "events-jitsi-${settings.to}") {
        JobSettings.onAgent(this, settings.agent) {
            stage(settings.to.capitalize()) {
                Map deployed = ecsDeployRevision(targetAws + [cluster: target.cluster, service: targetService.service,
                                                              imagesFromCluster: source.cluster, imagesFromService: sourceService.service, imagesFromRegion: sourceAws.region,
                                                              copyEnvironment: rules.environmentVariables, ignoreContainers: rules.ignoreContainers,
                                                              expectSourceTaskDefinition: plan.sourceTaskDefinitionArn,
                                                              expectTaskDefinition: plan.previousTaskDefinitionArn])
                try {
                    waitForServiceStable(targetAws + [cluster: target.cluster, service: targetService.service, deploymentId: deployed.deploymentId,
                                                      timeout: settings.rolloutTimeoutMinutes, rollbackOnFailure: true,
                                                      rollbackTo: deployed.previousTaskDefinitionArn, deregisterFailedRevision: deployed.registeredRevision])
                } catch (err) {
                    // What ECS reports now, not what the rollback meant to do: it may have failed, or been aborted.
                    currentBuild.description = afterFailure(targetAws + [cluster: target.cluster, service: targetService.service],
                            "${service} in ${settings.to}", deployed.previousTaskDefinitionArn, what)
                    throw err
                }
                result = deployed
            }
            stage("Verify ${settings.to}") {
                Map report = verifyEnvironments(aws + [environments: yaml, only: [settings.to], checks: ['ecs'], junit: "verify-${settings.to}.xml"])
                junit(testResults: "verify-${settings.to}.xml", allowEmptyResults: false)
                if (!report.passed) {
                    unstable("${settings.to} runs the promoted revision but fails verification:\n" + report.failures.join('\n'))
                }
            }
        }
    }
    currentBuild.description = "Promoted ${service}: ${what}; ${settings.from} ${shortName(result.sourceTaskDefinitionArn)} -> " +
            "${settings.to} ${shortName(result.previousTaskDefinitionArn)} => ${shortName(result.taskDefinitionArn)}"
    return result
}


/** The build description after a failed or aborted production stage, from the service as ECS reports it now. */
private String afterFailure(Map service, String where, String previous, String tried) {
    Map now
    try {
        now = ecsServiceState(service)
    } catch (err) {
        return "FAILED (tried ${tried}); what ${where} runs now could not be read: ${err.message}"
    }
    if (now.settled && shortName(now.taskDefinitionArn) == shortName(previous)) {
        return "FAILED and rolled back: ${where} runs ${shortName(previous)} again (tried ${tried})"
    }
    return "FAILED, not rolled back (tried ${tried}); ECS reports: ${now.summary}"
}

private static String shortName(String arn) {
    return arn == null ? '' : arn.substring(arn.lastIndexOf('/') + 1)
}

private static String describeImages(List images) {
    List parts = []
    for (Map image : images) {
        parts.add("${image.container}=${image.to}".toString())
    }
    return parts ? parts.join(', ') : 'no image changes'
}
