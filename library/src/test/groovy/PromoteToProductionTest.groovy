import events.jitsi.core.ecs.DeployRequest
import events.jitsi.core.ecs.DeployRevision
import org.junit.Test

import static org.junit.Assert.assertEquals
import static org.junit.Assert.assertNull
import static org.junit.Assert.assertTrue

class PromoteToProductionTest extends LibraryTestCase {
    @Override
    String iamPolicy() {
        'deploy-promote'
    }

    static final String JOB = 'vars/promoteToProduction.groovy'

    private String image(String taskDefinition, String container) {
        sim.model().taskDefinition(taskDefinition).get('containerDefinitions').find { it.get('name').asText() == container }.get('image').asText()
    }

    @Test
    void productionEndsUpRunningStagingsImagesOnProductionsEfs() {
        runJob(JOB, [SERVICE: 'jitsi', STAGING_REVISION: '', DRY_RUN: false])

        assertNull(String.valueOf(thrown), thrown)
        assertEquals('SUCCESS', result)
        String running = sim.model().currentTaskDefinition('jitsi-cluster', 'jitsi')
        assertTrue(running, running.endsWith('jitsi-meet-task:13'))
        for (String container : ['web', 'prosody', 'jicofo', 'jvb']) {
            assertEquals(image('jitsi-meet-task-staging:5', container), image(running, container))
        }
        def volumes = sim.model().taskDefinition(running).get('volumes')
        assertTrue(volumes.every { it.get('efsVolumeConfiguration').get('fileSystemId').asText() == 'fs-b61d8482' })
        assertEquals('https://meet.example.org',
                sim.model().taskDefinition(running).get('containerDefinitions').get(0).get('environment').get(0).get('value').asText())
        assertTrue(description, description.startsWith('Promoted jitsi: web=jitsi/web:stable-10078'))
        assertTrue(description, description.contains('jitsi-meet-task:12 => jitsi-meet-task:13'))
        assertEquals(['promotion-plan.diff'], archived)
        assertTrue(workspace.resolve('promotion-plan.diff').text.contains('+    "image" : "jitsi/web:stable-10078",'))
        assertEquals(1, inputs.size())
        assertEquals('jitsi-operators', inputs[0].submitter)
        assertTrue(inputs[0].message.contains('--- jitsi-cluster/jitsi jitsi-meet-task:12'))
        assertEquals(['events-jitsi-production'], locks.collect { it.resource.toString() })
        assertEquals(['(any)', '(any)'], nodes)
        assertEquals(2, junitReports.size())
        assertEquals(['SERVICE', 'STAGING_REVISION', 'DRY_RUN'] as Set, declaredParameters.keySet())
    }

    @Test
    void aStagingRevisionIsDeployedVerifiedAndThenPromoted() {
        // A new staging revision was registered (by a build job, say) but not deployed yet.
        def staging = ecs.describeTaskDefinition { it.taskDefinition('jitsi-meet-task-staging:5') }.taskDefinition()
        ecs.registerTaskDefinition(events.jitsi.core.ecs.TaskDefinitions.registrationOf(staging, null,
                { c -> c.name() == 'web' ? c.toBuilder().image('jitsi/web:stable-10133').build() : c } as java.util.function.UnaryOperator))
        runJob(JOB, [SERVICE: 'jitsi', STAGING_REVISION: '6', DRY_RUN: false])

        assertNull(String.valueOf(thrown), thrown)
        assertEquals('SUCCESS', result)
        assertTrue(sim.model().currentTaskDefinition('jitsi-staging-cluster', 'jitsi').endsWith('jitsi-meet-task-staging:6'))
        assertEquals('jitsi/web:stable-10133', image(sim.model().currentTaskDefinition('jitsi-cluster', 'jitsi'), 'web'))
    }

    @Test
    void aStagingRevisionOlderThanTheNewestFailsStagingVerificationAndIsNotPromoted() {
        runJob(JOB, [SERVICE: 'jitsi', STAGING_REVISION: '4', DRY_RUN: false])

        assertTrue(sim.model().currentTaskDefinition('jitsi-staging-cluster', 'jitsi').endsWith('jitsi-meet-task-staging:4'))
        assertEquals('FAILURE', result)
        assertTrue(description, description.startsWith('Not promoted: staging fails verification'))
        assertTrue(thrown.message, thrown.message.contains('jitsi-meet-task-staging:5 is a newer ACTIVE revision'))
        assertTrue(sim.model().currentTaskDefinition('jitsi-cluster', 'jitsi').endsWith('jitsi-meet-task:12'))
    }

    @Test
    void aFailedProductionRolloutRollsBack() {
        // The image cannot be pulled in production (say, the registry refuses that account) once approved.
        approval = { Map args ->
            sim.model().failImage('jitsi/web:stable-10078', 'CannotPullContainerError: pull access denied for jitsi/web', false)
            null
        }
        runJob(JOB, [SERVICE: 'jitsi', STAGING_REVISION: '', DRY_RUN: false])

        assertEquals('FAILURE', result)
        assertTrue(String.valueOf(thrown?.message), thrown.message.contains('circuit breaker'))
        assertTrue(thrown.message, thrown.message.contains('Rolled back: the service runs jitsi-meet-task:12 again.'))
        assertTrue(sim.model().currentTaskDefinition('jitsi-cluster', 'jitsi').endsWith('jitsi-meet-task:12'))
        assertEquals('INACTIVE', sim.model().taskDefinition('jitsi-meet-task:13').get('status').asText())
        assertTrue(description, description.startsWith('FAILED and rolled back: jitsi in production runs jitsi-meet-task:12 again'))
    }

    @Test
    void aFailedRollbackIsDescribedAsEcsReportsIt() {
        // Neither the new image nor the one production ran before can be pulled any more: the rollback fails too.
        approval = { Map args ->
            sim.model().failImage('jitsi/web:stable-10078', 'CannotPullContainerError: pull access denied for jitsi/web', false)
            sim.model().failImage('jitsi/web:stable-9955', 'CannotPullContainerError: pull access denied for jitsi/web', false)
            null
        }
        runJob(JOB, [SERVICE: 'jitsi', STAGING_REVISION: '', DRY_RUN: false])

        assertEquals('FAILURE', result)
        assertTrue(description, description.startsWith('FAILED, not rolled back'))
        assertTrue(description, description.contains('ECS reports: jitsi in jitsi-cluster'))
        assertTrue(description, !description.contains('rolled back: jitsi in production runs'))
    }

    @Test
    void anAbortMidRolloutIsDescribedAsEcsReportsIt() {
        // The build is aborted while production rolls out the new revision: nothing was rolled back.
        helper.registerAllowedMethod('waitForServiceStable', [Map], { Map args -> throw new InterruptedException('Aborted by alice') })
        runJob(JOB, [SERVICE: 'jitsi', STAGING_REVISION: '', DRY_RUN: false])

        assertTrue(sim.model().currentTaskDefinition('jitsi-cluster', 'jitsi').endsWith('jitsi-meet-task:13'))
        assertTrue(description, description.startsWith('FAILED, not rolled back'))
        assertTrue(description, description.contains('is rolling out jitsi-meet-task:13'))
    }

    @Test
    void aRejectedApprovalChangesNothingInProduction() {
        approval = { Map args -> throw new InterruptedException('Rejected by alice') }
        runJob(JOB, [SERVICE: 'matrix', STAGING_REVISION: '', DRY_RUN: false])

        assertEquals('ABORTED', result)
        assertEquals([], writes())
        assertTrue(sim.model().currentTaskDefinition('jitsi-cluster', 'matrix').endsWith('matrix-task:7'))
        assertEquals(7, sim.model().newestRevision('matrix-task'))
        assertTrue(description, description.startsWith('Not promoted: the approval was rejected or timed out'))
    }

    @Test
    void aDryRunWritesNothing() {
        runJob(JOB, [SERVICE: 'matrix', STAGING_REVISION: '', DRY_RUN: true])

        assertEquals('SUCCESS', result)
        assertEquals([], writes())
        assertEquals([], inputs)
        assertTrue(description, description.startsWith('Dry run: would promote matrix synapse=matrixdotorg/synapse:v1.120.0, element=vectorim/element-web:v1.11.85'))
        assertTrue(workspace.resolve('promotion-plan.diff').text.contains('matrixdotorg/synapse:v1.120.0'))
    }

    @Test
    void aSecondPromotionHasNothingToDo() {
        runJob(JOB, [SERVICE: 'matrix', STAGING_REVISION: '', DRY_RUN: false])
        sim.resetCalls()
        inputs.clear()
        runJob(JOB, [SERVICE: 'matrix', STAGING_REVISION: '', DRY_RUN: false])

        assertEquals('SUCCESS', result)
        assertEquals([], writes())
        assertEquals([], inputs)
        assertTrue(description, description.startsWith('Nothing to promote: matrix in production already runs'))
    }

    @Test
    void aStagingThatIsNotSettledIsNotPromoted() {
        sim.model().setStartSeconds('jitsi-staging-cluster', 'jitsi', 7200)
        new DeployRevision(ecs, { } as java.util.function.Consumer).deploy(DeployRequest.ofRevision('jitsi-staging-cluster', 'jitsi', 4))
        sim.resetCalls()
        runJob(JOB, [SERVICE: 'jitsi', STAGING_REVISION: '', DRY_RUN: false])

        assertEquals('FAILURE', result)
        assertTrue(thrown.message, thrown.message.contains('staging/jitsi deployment-settled: not settled since '))
        assertEquals([], writes())
        assertEquals([], inputs)
    }

    @Test
    void unknownSettingsAreRefused() {
        runJob(JOB, [SERVICE: 'jitsi'], [submiter: 'ops'])
        assertEquals('FAILURE', result)
        assertTrue(thrown.message, thrown.message.contains("promoteToProduction does not take 'submiter'"))
        assertEquals([], writes())
    }
}
