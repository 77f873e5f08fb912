#!/usr/bin/env groovy

import events.jitsi.JobSettings

/**
 * A job for Prosody accounts (e.g. the moderator account that unlocks rooms): pick the environment, the account
 * credential and register or unregister. Where the environment has an xmpp section it goes over the meeting's XMPP
 * endpoint as a Prosody admin, with no agent; otherwise it runs prosodyctl in the cluster's prosody container on an
 * agent that is one of the cluster's EC2 hosts. See prosodyAccount.txt.
 */
def call(Map config = [:]) {
    Map settings = JobSettings.merge(this, 'prosodyAccount', [
        environments: null,
        via         : null,
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
    if (target == null) {
        error("There is no environment '${environment}'; the environments are ${names.join(', ')}")
    }
    if (!params.ACCOUNT) {
        error('Choose the ACCOUNT credential')
    }
    String via = settings.via ?: (target.xmpp ? 'xmpp' : 'docker')
    boolean unregister = params.ACTION == 'unregister'
    Map result
    if (via == 'xmpp') {
        if (!target.xmpp) {
            error("Environment '${environment}' has no xmpp section: add xmpp: {endpoint: wss://HOST/xmpp-websocket, domain: meet.jitsi, " +
                  "admin: CREDENTIALS_ID} to the environments file, or set via: 'docker' and agents")
        }
        // No agent: the controller talks to the meeting's own XMPP endpoint as one of Prosody's admins.
        stage("${params.ACTION ?: 'register'} on ${environment} over XMPP") {
            result = prosodyRegister(credentialsId: params.ACCOUNT, via: 'xmpp', endpoint: target.xmpp.endpoint, domain: target.xmpp.domain,
                                     adminCredentialsId: target.xmpp.admin, unregister: unregister)
        }
    } else {
        String label = settings.agents[environment]
        if (!label) {
            error("No agent for '${environment}': give agents: [${environment}: 'LABEL'], the label of an EC2 host of cluster ${target.cluster}, " +
                  "or an xmpp section in the environments file to need none")
        }
        stage("${params.ACTION ?: 'register'} on ${environment}") {
            node(label) {
                result = prosodyRegister(credentialsId: params.ACCOUNT, via: 'docker', cluster: target.cluster, domain: settings.domain,
                                         config: settings.config, unregister: unregister)
            }
        }
    }
    currentBuild.description = "${environment}: ${result.message}"
    return result
}
