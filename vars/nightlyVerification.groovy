#!/usr/bin/env groovy

import events.jitsi.JobSettings

/**
 * The nightly build: verifies every environment (its services and, where the environments file describes them, its
 * instances, scaling, scale-in protection, EFS, load balancer routes and DNS), records the checks with the junit step and archives them as an HTML
 * page (verify-environments.html) for people. A failed check makes
 * the build UNSTABLE and lists the failures; an error in the tooling fails it. With efsNodeLabel it also reports the
 * watermark on the EFS folder. See nightlyVerification.txt.
 */
def call(Map config = [:]) {
    Map settings = JobSettings.merge(this, 'nightlyVerification', [
        environments : null,
        checks       : null,
        efsNodeLabel : null,
        watermarkDir : '/mnt/efs/fs1/jitsi/jitsi-meet/images',
        region       : null,
        credentialsId: null,
        endpointUrl  : null,
        urlTimeout   : 5,
        agent        : null,
    ], config)
    String yaml = settings.environments ?: libraryResource('events/jitsi/environments.yaml')
    Map aws = JobSettings.aws(settings)

    Map report
    JobSettings.onAgent(this, settings.agent) {
        stage('Verify environments') {
            try {
                Map arguments = aws + [environments: yaml, junit: 'verify-environments.xml', html: 'verify-environments.html',
                                       urlTimeout: settings.urlTimeout]
                if (settings.checks) {
                    arguments.checks = settings.checks
                }
                report = verifyEnvironments(arguments)
            } catch (err) {
                currentBuild.description = "Verification could not run: ${err.message}"
                throw err
            }
            junit(testResults: 'verify-environments.xml', allowEmptyResults: false)
            // The same checks for people: environments side by side, failures highlighted, the drift.
            archiveArtifacts(artifacts: 'verify-environments.html')
            if (report.errors) {
                // A check that could not run (no permission, AWS failing) says nothing of the installation: the tooling failed.
                currentBuild.description = "${report.errors.size()} of ${report.checks} checks could not run: " + report.errors.join('; ') +
                        (report.failures ? "; ${report.failures.size()} failed: " + report.failures.join('; ') : '')
                error("${report.errors.size()} checks could not run:\n" + report.errors.join('\n'))
            } else if (report.passed) {
                currentBuild.description = "All ${report.checks} checks passed"
            } else {
                currentBuild.description = "${report.failures.size()} of ${report.checks} checks failed: " + report.failures.join('; ')
                unstable("${report.failures.size()} checks failed:\n" + report.failures.join('\n'))
            }
        }
    }

    if (settings.efsNodeLabel) {
        stage('Watermark') {
            node(settings.efsNodeLabel) {
                Map watermark = jitsiWatermark(action: 'status', dir: settings.watermarkDir)
                echo "Watermark in ${settings.watermarkDir}: ${watermark.state}" + (watermark.sha256 ? " (sha256 ${watermark.sha256})" : '')
                currentBuild.description = currentBuild.description + "; watermark ${watermark.state.toLowerCase()}"
            }
        }
    }
    return report
}
