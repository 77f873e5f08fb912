#!/usr/bin/env groovy

import events.jitsi.JobSettings

/**
 * The restart job: the seed notes' recovery step ("stop the task, the service starts a new one") as one click.
 * It forces a new deployment of the service (same task definition), waits for it, and verifies the service.
 * See restartService.txt for the settings.
 */
def call(Map config = [:]) {
    Map settings = JobSettings.merge(this, 'restartService', [
        services             : ['jitsi', 'matrix'],
        environments         : null,
        rolloutTimeoutMinutes: 30,
        region               : null,
        credentialsId        : null,
        endpointUrl          : null,
        agent                : null,
    ], config)
    String yaml = settings.environments ?: libraryResource('events/jitsi/environments.yaml')
    Map topology = jitsiEnvironments(yaml: yaml)
    List names = new ArrayList(topology.environments.keySet())

    properties([
        disableConcurrentBuilds(),
        parameters([
            choice(name: 'ENVIRONMENT', choices: names, description: 'Where the service runs.'),
            choice(name: 'SERVICE', choices: settings.services, description: 'The service whose tasks are replaced by new ones.'),
        ]),
    ])

    String environment = params.ENVIRONMENT ?: names[0]
    String service = params.SERVICE ?: settings.services[0]
    Map target = topology.environments[environment]
    Map targetService = target?.services?.get(service)
    if (targetService == null) {
        error("Service '${service}' is not in environment '${environment}': it has ${target ? target.services.keySet().join(', ') : 'no such environment'}")
    }
    Map aws = JobSettings.aws(settings)
    Map targetAws = target.region ? aws + [region: target.region] : aws

    Map restarted
    // One deployment at a time per environment, shared with the promote job.
    lock(resource: "events-jitsi-${environment}") {
        stage("Restart ${service} on ${environment}") {
            restarted = ecsDeployRevision(targetAws + [cluster: target.cluster, service: targetService.service, forceNewDeployment: true])
            try {
                waitForServiceStable(targetAws + [cluster: target.cluster, service: targetService.service, deploymentId: restarted.deploymentId,
                                                  timeout: settings.rolloutTimeoutMinutes])
            } catch (err) {
                currentBuild.description = "FAILED: the new tasks of ${service} on ${environment} did not settle (deployment ${restarted.deploymentId})"
                throw err
            }
        }
    }
    JobSettings.onAgent(this, settings.agent) {
        stage("Verify ${service} on ${environment}") {
            String report = "verify-${environment}-${service}.xml"
            // Only this service: the environments are narrowed to it, so other services' state does not fail the restart.
            Map narrowed = [cluster: target.cluster, services: [(service): [service: targetService.service, urls: targetService.urls]]]
            if (target.region) {
                narrowed.region = target.region
            }
            if (target.efsFileSystemId) {
                narrowed.efsFileSystemId = target.efsFileSystemId
            }
            // JSON is YAML: the step reads it as an environments file.
            String file = groovy.json.JsonOutput.toJson([environments: [(environment): narrowed]])
            Map result = verifyEnvironments(aws + [environments: file, only: [environment], junit: report])
            junit(testResults: report, allowEmptyResults: false)
            String revision = restarted.taskDefinitionArn.substring(restarted.taskDefinitionArn.lastIndexOf('/') + 1)
            String what = result.passed ? "Restarted ${service} on ${environment}" : "Restarted ${service} on ${environment}, but verification fails"
            currentBuild.description = "${what}: new tasks of ${revision} (deployment ${restarted.deploymentId})"
            if (!result.passed) {
                unstable("${service} on ${environment} was restarted but does not pass verification:\n" + result.failures.join('\n'))
            }
        }
    }
    return restarted
}
