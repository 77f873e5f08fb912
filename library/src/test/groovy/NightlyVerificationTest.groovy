import events.jitsi.core.ecs.Promote
import events.jitsi.core.ecs.PromotionRequest
import events.jitsi.core.ecs.ServiceRef
import events.jitsi.core.ecs.WaitForStable
import events.jitsi.core.aws.AwsServices
import events.jitsi.core.pipeline.AwsAccess
import events.jitsi.core.pipeline.PipelineSteps
import events.jitsi.simulator.EcsSimulator
import events.jitsi.testbed.CloudWatchOverJson
import events.jitsi.testbed.MotoServer
import events.jitsi.testbed.SeedInstallation
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider
import org.junit.Test

import java.nio.file.Files
import java.util.function.Consumer
import java.util.function.Function

import static org.junit.Assert.assertEquals
import static org.junit.Assert.assertNull
import static org.junit.Assert.assertTrue

class NightlyVerificationTest extends LibraryTestCase {
    @Override
    String iamPolicy() {
        'verify-readonly'
    }

    static final String JOB = 'vars/nightlyVerification.groovy'
    /** The ECS simulator has services, not instances: the installation sections are tested against moto below. */
    static final Map ECS_ONLY = [checks: ['ecs']]

    @Test
    void driftBetweenTheEnvironmentsMakesTheBuildUnstableWithTheFailingCheck() {
        runJob(JOB, [:], ECS_ONLY)

        assertNull(String.valueOf(thrown), thrown)
        assertEquals('UNSTABLE', result)
        String report = junitReports[0]
        assertTrue(report, report.contains('<testcase classname="verify.staging-production.jitsi" name="image-drift staging-production"'))
        assertTrue(report, report.contains('<failure message="web: staging jitsi/web:stable-10078, production jitsi/web:stable-9955'))
        assertTrue(description, description.startsWith('2 of 22 checks failed: staging-production/jitsi image-drift'))
        assertEquals(['verify-environments.html'], archived)
        String html = workspace.resolve('verify-environments.html').text
        assertTrue(html, (html =~ /<td id="c-[0-9a-f]+" class="failed"><span class="status">FAILED<\/span>web: staging jitsi\/web:stable-10078/).find())
    }

    @Test
    void aCheckThatCouldNotRunFailsTheBuildAndSaysWhich() {
        // The build's AWS identity may not describe staging's services.
        sim.injectFault('DescribeServices', EcsSimulator.Fault.ACCESS_DENIED, 1)
        runJob(JOB, [:], ECS_ONLY)

        assertEquals('FAILURE', result)
        assertTrue(description, (description =~ /^1 of \d+ checks could not run: staging\/jitsi ecs-readable: cannot read jitsi/).find())
        assertTrue(description, description.contains('AccessDeniedException'))
        assertTrue(junitReports[0], junitReports[0].contains('<error message="cannot read jitsi in jitsi-staging-cluster'))
        assertEquals(['verify-environments.html'], archived)
    }

    @Test
    void healthyEnvironmentsPass() {
        Promote promote = new Promote(ecs, ecs, new WaitForStable(ecs, time), time, { } as java.util.function.Consumer)
        for (String service : ['jitsi', 'matrix']) {
            promote.execute(promote.plan(new PromotionRequest('staging', new ServiceRef('jitsi-staging-cluster', service), 'production',
                    new ServiceRef('jitsi-cluster', service), null)), null)
        }
        runJob(JOB, [:], ECS_ONLY)

        assertEquals('SUCCESS', result)
        assertEquals('All 22 checks passed', description)
        assertTrue(!junitReports[0].contains('<failure'))
    }

    @Test
    void anErrorInTheToolingFailsTheBuild() {
        runJob(JOB, [:], ECS_ONLY + [environments: 'environments: ['])

        assertEquals('FAILURE', result)
        assertTrue(description, description.startsWith('Verification could not run'))
        assertEquals([], junitReports)
    }

    @Test
    void anEcsThatKeepsFailingLeavesEveryCheckUnrunAndTheReportWritten() {
        sim.injectFault('*', EcsSimulator.Fault.SERVER_ERROR, 1000)
        runJob(JOB, [:], ECS_ONLY)

        assertEquals('FAILURE', result)
        assertTrue(description, description.startsWith('4 of 8 checks could not run: staging/jitsi ecs-readable'))
        assertEquals(1, junitReports.size())
    }

    @Test
    void theWatermarkIsReportedWhenAnEfsNodeIsConfigured() {
        def dir = Files.createDirectories(workspace.resolve('images'))
        dir.resolve('watermark.svg_ba').text = '<svg xmlns="http://www.w3.org/2000/svg"/>'
        runJob(JOB, [:], ECS_ONLY + [efsNodeLabel: 'jitsi-efs', watermarkDir: dir.toString()])

        assertEquals('UNSTABLE', result)
        assertTrue(description, description.endsWith('; watermark hidden'))
        assertTrue(log.any { it.startsWith("Watermark in ${dir}: HIDDEN") })
    }

    @Test
    void theInstallationChecksRunOnTheSeedInstallationAndAnUnprotectedPrimaryMakesTheBuildUnstable() {
        MotoServer moto = MotoServer.start()
        try {
            SeedInstallation seed = new SeedInstallation(moto.endpoint()).seed()
            AwsServices installation = new AwsServices(SeedInstallation.REGION, moto.endpoint(),
                    StaticCredentialsProvider.create(AwsBasicCredentials.create('AKIDLIBRARY', 'library-test-secret'))).with(new CloudWatchOverJson())
            recorded << installation
            steps = new PipelineSteps({ AwsAccess access -> installation } as Function, time, { String line -> log << line } as Consumer)
            Map production = [checks: ['capacity', 'storage', 'loadBalancer', 'dns'], environments: seed.environmentsYaml()]

            runJob(JOB, [:], production)
            assertNull(String.valueOf(thrown), thrown)
            assertEquals(description, 'SUCCESS', result)
            assertTrue(description, description ==~ /All \d+ checks passed/)
            assertTrue(junitReports[0], junitReports[0].contains('<testcase classname="verify.production.autoScalingGroup" name="protected-instances"'))

            String primary = seed.environment('production').instancesByRole().get('primary')
            seed.autoScaling.setInstanceProtection({ it.autoScalingGroupName('jitsi-cluster-asg').instanceIds(primary).protectedFromScaleIn(false) } as Consumer)
            binding.getVariable('currentBuild').result = 'SUCCESS'
            junitReports.clear()
            runJob(JOB, [:], production)
            assertEquals('UNSTABLE', result)
            assertTrue(description, description.startsWith('2 of '))
            assertTrue(description, description.contains("production/autoScalingGroup protected-instances: not protected from scale-in: ${primary} in eu-central-1a runs jitsi"))
            seed.close()
        } finally {
            moto.close()
        }
    }

    @Test
    void unknownSettingsAreRefused() {
        runJob(JOB, [:], [efsLabel: 'x'])
        assertEquals('FAILURE', result)
        assertTrue(thrown.message, thrown.message.contains("nightlyVerification does not take 'efsLabel'"))
    }
}
