#!/usr/bin/env groovy

import events.jitsi.JobSettings

/**
 * A job for the meeting watermark: show it, hide it, restore it, or replace it with an SVG from the job's own
 * repository. By default through SSM Run Command on the EC2 host that runs the environment's web task, so no agent
 * needs the EFS; with via: 'local' on an agent that has it mounted. See jitsiBranding.txt.
 */
def call(Map config = [:]) {
    Map settings = JobSettings.merge(this, 'jitsiBranding', [
        environments: null,
        via         : null,
        agents      : [:],
        watermarkDir: null,
        region      : null,
        credentialsId: null,
        endpointUrl : null,
    ], config)
    Map topology = jitsiEnvironments(yaml: settings.environments ?: libraryResource('events/jitsi/environments.yaml'))
    List names = new ArrayList(topology.environments.keySet())

    properties([
        parameters([
            choice(name: 'ENVIRONMENT', choices: names, description: 'Whose meetings show the watermark.'),
            choice(name: 'ACTION', choices: ['status', 'hide', 'restore', 'replace', 'check'],
                   description: 'hide keeps the original as watermark.svg_ba; restore brings it back; replace uses LOGO; check tests LOGO and installs nothing.'),
            string(name: 'LOGO', defaultValue: 'branding/watermark.svg',
                   description: "With replace or check: the SVG in this job's repository."),
        ]),
    ])

    String environment = params.ENVIRONMENT ?: names[0]
    String action = params.ACTION ?: 'status'
    if (action == 'check') {
        // Only the rules: any agent with the repository will do (e.g. a pull request's build), no EFS needed.
        Map verdict
        stage('check watermark') {
            node {
                checkout(scm)
                verdict = jitsiWatermark(action: 'check', file: params.LOGO)
            }
        }
        currentBuild.description = "${params.LOGO} may be served as the watermark"
        return verdict
    }
    Map target = topology.environments[environment]
    if (!target) {
        error("There is no environment '${environment}'; the environments are ${names.join(', ')}")
    }
    String via = settings.via ?: (target.watermark ? 'ssm' : 'local')
    Map result
    if (via == 'ssm') {
        if (!target.watermark) {
            error("Environment '${environment}' has no jitsi service and no watermark section: add watermark: {service: KEY} to the environments file, or set via: 'local' and agents")
        }
        Map arguments = [action: action, via: 'ssm', cluster: target.cluster, service: target.watermark.serviceName,
                         container: target.watermark.container, dir: settings.watermarkDir ?: target.watermark.dir]
        // Only what is set: a closure passed to findAll does not run as written under the Pipeline's CPS interpreter.
        for (String key : ['region', 'credentialsId', 'endpointUrl']) {
            def value = key == 'region' ? (settings.region ?: target.region) : settings[key]
            if (value != null) {
                arguments[key] = value
            }
        }
        stage("${action} watermark on ${environment} through SSM") {
            if (action == 'replace') {
                // The logo comes from this job's repository, so any agent checks it out; the change goes through SSM.
                node {
                    checkout(scm)
                    arguments.file = params.LOGO
                    result = jitsiWatermark(arguments)
                }
            } else {
                result = jitsiWatermark(arguments)
            }
        }
    } else {
        String label = settings.agents[environment]
        if (!label) {
            error("No agent for '${environment}': give agents: [${environment}: 'LABEL'], the label of an agent with that environment's EFS mounted, " +
                  "or leave via unset to go through SSM Run Command without one")
        }
        stage("${action} watermark on ${environment}") {
            node(label) {
                Map arguments = [action: action, via: 'local', dir: settings.watermarkDir ?: '/mnt/efs/fs1/jitsi/jitsi-meet/images']
                if (action == 'replace') {
                    checkout(scm)
                    arguments.file = params.LOGO
                }
                result = jitsiWatermark(arguments)
            }
        }
    }
    currentBuild.description = "${environment}: watermark ${result.state.toLowerCase()}" + (result.changed ? ' (changed)' : '')
    return result
}
