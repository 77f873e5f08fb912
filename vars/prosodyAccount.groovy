#!/usr/bin/env groovy

import events.jitsi.JobSettings

/**
 * A job for Prosody accounts (e.g. the moderator account that unlocks rooms): pick the environment, the account
 * credential and register or unregister; it runs prosodyctl in that cluster's prosody container on an agent that is
 * one of the cluster's EC2 hosts. See prosodyAccount.txt.
 */
def call(Map config = [:]) {
    Map settings = JobSettings.merge(this, 'prosodyAccount', [
        environments: null,
        agents      : [:],
        domain      : 'meet.jitsi',
        config      : '/config/prosody.cfg.lua',
    ], config)
    Map topology = jitsiEnvironments(yaml: settings.environments ?: libraryResource('events/jitsi/environments.yaml'))
    List names = new ArrayList(topology.environments.keySet())

    properties([
        parameters([
            choice(name: 'ENVIRONMENT', choices: names, description: 'Where the account lives.'),
            credentials(name: 'ACCOUNT', credentialType: 'com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials',
                        required: true, description: 'A username/password credential: the account name and its password.'),
            choice(name: 'ACTION', choices: ['register', 'unregister'], description: 'register creates the account or changes its password.'),
        ]),
    ])

    String environment = params.ENVIRONMENT ?: names[0]
    Map target = topology.environments[environment]
    String label = settings.agents[environment]
    if (target == null || !label) {
        error("No agent for '${environment}': give agents: [${environment}: 'LABEL'], the label of an EC2 host of cluster ${target?.cluster}")
    }
    if (!params.ACCOUNT) {
        error('Choose the ACCOUNT credential')
    }
    Map result
    stage("${params.ACTION ?: 'register'} on ${environment}") {
        node(label) {
            result = prosodyRegister(credentialsId: params.ACCOUNT, cluster: target.cluster, domain: settings.domain,
                                     config: settings.config, unregister: params.ACTION == 'unregister')
        }
    }
    currentBuild.description = "${environment}: ${result.message}"
    return result
}
