import org.junit.Test

import static org.junit.Assert.assertEquals
import static org.junit.Assert.assertTrue

/** The restart job against the simulator: new tasks of the same revision, waited for and verified. */
class RestartServiceTest extends LibraryTestCase {
    @Override
    String iamPolicy() {
        'deploy-promote'
    }

    static final String JOB = 'vars/restartService.groovy'

    @Test
    void theServiceGetsNewTasksOfTheSameRevisionAndIsVerified() {
        String before = sim.model().currentTaskDefinition('jitsi-cluster', 'matrix')
        runJob(JOB, [ENVIRONMENT: 'production', SERVICE: 'matrix'])

        assertEquals(String.valueOf(thrown), 'SUCCESS', result)
        assertEquals(before, sim.model().currentTaskDefinition('jitsi-cluster', 'matrix'))
        assertEquals(['UpdateService'], writes())
        assertTrue(description, description.startsWith('Restarted matrix on production: new tasks of matrix-task:7 (deployment ecs-svc/'))
        assertEquals(['events-jitsi-production'], locks.collect { it.resource.toString() })
        assertEquals(1, junitReports.size())
        // Only the restarted service is verified: no check of jitsi, no drift with staging.
        assertTrue(junitReports[0], junitReports[0].contains('classname="verify.production.matrix"'))
        assertTrue(junitReports[0], !junitReports[0].contains('verify.production.jitsi') && !junitReports[0].contains('drift'))
        assertEquals(['ENVIRONMENT', 'SERVICE'] as Set, declaredParameters.keySet())
    }

    @Test
    void newTasksThatDoNotStartFailTheBuildAndSaySo() {
        // The image of production's jitsi can no longer be pulled: the restart's new tasks fail.
        sim.model().failImage('jitsi/web:stable-9955', 'CannotPullContainerError: pull access denied', false)
        sim.model().setCircuitBreaker('jitsi-cluster', 'jitsi', true, false)
        runJob(JOB, [ENVIRONMENT: 'production', SERVICE: 'jitsi'])

        assertEquals('FAILURE', result)
        assertTrue(String.valueOf(thrown?.message), thrown.message.contains('CannotPullContainerError'))
        assertTrue(description, description.startsWith('FAILED: the new tasks of jitsi on production did not settle'))
    }

    @Test
    void anUnknownServiceIsRefusedBeforeAnythingIsWritten() {
        runJob(JOB, [ENVIRONMENT: 'production', SERVICE: 'etherpad'])
        assertEquals('FAILURE', result)
        assertTrue(thrown.message, thrown.message.contains("Service 'etherpad' is not in environment 'production'"))
        assertEquals([], writes())
    }
}
