#!/usr/bin/env groovy

import events.jitsi.JobSettings

/**
 * A job for the meeting watermark: show it, hide it, restore it, or replace it with an SVG from the job's own
 * repository, on an agent that has the environment's EFS mounted. See jitsiBranding.txt.
 */
def call(Map config = [:]) {
    Map settings = JobSettings.merge(this, 'jitsiBranding', [
        environments: null,
        agents      : [:],
        watermarkDir: '/mnt/efs/fs1/jitsi/jitsi-meet/images',
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
    String label = settings.agents[environment]
    if (!topology.environments[environment] || !label) {
        error("No agent for '${environment}': give agents: [${environment}: 'LABEL'], the label of an agent with that environment's EFS mounted")
    }
    Map result
    stage("${action} watermark on ${environment}") {
        node(label) {
            Map arguments = [action: action, dir: settings.watermarkDir]
            if (action == 'replace') {
                checkout(scm)
                arguments.file = params.LOGO
            }
            result = jitsiWatermark(arguments)
        }
    }
    currentBuild.description = "${environment}: watermark ${result.state.toLowerCase()}" + (result.changed ? ' (changed)' : '')
    return result
}
