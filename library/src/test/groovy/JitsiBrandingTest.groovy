import events.jitsi.core.aws.AwsServices
import events.jitsi.core.pipeline.AwsAccess
import events.jitsi.core.pipeline.PipelineSteps
import events.jitsi.core.watermark.SvgSafety
import events.jitsi.testbed.MotoServer
import events.jitsi.testbed.SeedInstallation
import events.jitsi.testbed.SsmHostAgent
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider
import org.junit.Before
import org.junit.Test

import java.nio.file.Files
import java.nio.file.Path
import java.util.function.Consumer
import java.util.function.Function

import static org.junit.Assert.assertEquals
import static org.junit.Assert.assertFalse
import static org.junit.Assert.assertTrue

/** The watermark job on a real folder, with the engine's safety rules. */
class JitsiBrandingTest extends LibraryTestCase {
    static final String JOB = 'vars/jitsiBranding.groovy'
    Path images
    String logo = '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><rect width="4" height="4"/></svg>'
    Map settings

    @Override
    String iamPolicy() {
        'branding-ssm'
    }

    @Before
    void setUpFolder() {
        images = Files.createDirectories(Files.createTempDirectory('efs').resolve('images'))
        images.resolve('watermark.svg').text = '<svg xmlns="http://www.w3.org/2000/svg"/>'
        settings = [via: 'local', agents: [staging: 'jitsi-staging-efs'], watermarkDir: images.toString()]
        // checkout scm brings the job's repository, with its branding folder, into the workspace.
        helper.registerAllowedMethod('checkout', [Map], { Map s ->
            Files.createDirectories(workspace.resolve('branding'))
            workspace.resolve('branding/watermark.svg').text = logo
        })
        binding.setVariable('scm', [:])
    }

    @Test
    void replaceHideAndRestore() {
        runJob(JOB, [ENVIRONMENT: 'staging', ACTION: 'replace', LOGO: 'branding/watermark.svg'], settings)
        assertEquals(String.valueOf(thrown), 'SUCCESS', result)
        // What is served is the checked document written anew.
        assertEquals(new String(SvgSafety.check(logo.getBytes('UTF-8')).canonical(), 'UTF-8'), images.resolve('watermark.svg').text)
        assertTrue(images.resolve('watermark.svg').text.contains('<rect width="4" height="4"></rect>'))
        assertTrue(Files.exists(images.resolve('watermark.svg_ba')))
        assertEquals('staging: watermark replaced (changed)', description)
        assertEquals(['jitsi-staging-efs'], nodes)

        runJob(JOB, [ENVIRONMENT: 'staging', ACTION: 'hide'], settings)
        assertFalse(Files.exists(images.resolve('watermark.svg')))
        assertEquals('staging: watermark hidden (changed)', description)

        runJob(JOB, [ENVIRONMENT: 'staging', ACTION: 'restore'], settings)
        assertEquals('<svg xmlns="http://www.w3.org/2000/svg"/>', images.resolve('watermark.svg').text)
        assertEquals('staging: watermark present (changed)', description)
    }

    @Test
    void withoutAgentsItGoesThroughSsmToTheHostThatRunsTheWebTask() {
        MotoServer moto = MotoServer.start()
        try {
            SeedInstallation seed = new SeedInstallation(moto.endpoint()).seed()
            SsmHostAgent agent = new SsmHostAgent()
            AwsServices aws = new AwsServices(SeedInstallation.REGION, moto.endpoint(),
                    StaticCredentialsProvider.create(AwsBasicCredentials.create('AKIDBRANDING', 'branding-test-secret'))).with(agent)
            recorded << aws
            steps = new PipelineSteps({ AwsAccess access -> aws } as Function, time, { String line -> log << line } as Consumer)
            Map ssm = [environments: seed.environmentsYaml(), watermarkDir: images.toString()]
            String primary = seed.environment('staging').instancesByRole().get('primary')

            runJob(JOB, [ENVIRONMENT: 'staging', ACTION: 'hide'], ssm)
            assertEquals(String.valueOf(thrown), 'SUCCESS', result)
            assertEquals([], nodes)
            assertEquals('staging: watermark hidden (changed)', description)
            assertFalse(Files.exists(images.resolve('watermark.svg')))
            assertTrue(log.any { it.contains('SSM Run Command') && it.contains(primary) })

            runJob(JOB, [ENVIRONMENT: 'staging', ACTION: 'restore'], ssm)
            assertEquals('staging: watermark present (changed)', description)

            runJob(JOB, [ENVIRONMENT: 'staging', ACTION: 'replace', LOGO: 'branding/watermark.svg'], ssm)
            assertEquals(String.valueOf(thrown), 'SUCCESS', result)
            assertEquals(['(any)'], nodes)
            assertEquals(new String(SvgSafety.check(logo.getBytes('UTF-8')).canonical(), 'UTF-8'), images.resolve('watermark.svg').text)
            assertEquals('staging: watermark replaced (changed)', description)
            assertEquals(3, agent.sent().size())
            assertTrue(agent.sent().every { it.instanceIds() == [primary] && it.documentName() == 'AWS-RunShellScript' })

            logo = '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"/>'
            runJob(JOB, [ENVIRONMENT: 'staging', ACTION: 'replace', LOGO: 'branding/watermark.svg'], ssm)
            assertEquals('FAILURE', result)
            assertTrue(thrown.message, thrown.message.contains('event attributes run scripts'))
            assertEquals(3, agent.sent().size())
            seed.close()
        } finally {
            moto.close()
        }
    }

    @Test
    void anUnsafeLogoIsRefusedAndTheFolderStaysAsItWas() {
        logo = '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"/>'
        runJob(JOB, [ENVIRONMENT: 'staging', ACTION: 'replace', LOGO: 'branding/watermark.svg'], settings)

        assertEquals('FAILURE', result)
        assertTrue(thrown.message, thrown.message.contains('event attributes run scripts'))
        assertEquals('<svg xmlns="http://www.w3.org/2000/svg"/>', images.resolve('watermark.svg').text)
        assertFalse(Files.exists(images.resolve('watermark.svg_ba')))
    }

    @Test
    void anEnvironmentWithoutAnAgentFails() {
        runJob(JOB, [ENVIRONMENT: 'production', ACTION: 'hide'], settings)
        assertEquals('FAILURE', result)
        assertTrue(thrown.message, thrown.message.contains("No agent for 'production'"))
        assertTrue(thrown.message, thrown.message.contains('or leave via unset to go through SSM Run Command without one'))
        assertTrue(Files.exists(images.resolve('watermark.svg')))
    }

    @Test
    void checkTestsTheLogoOnAnyAgentAndInstallsNothing() {
        runJob(JOB, [ENVIRONMENT: 'staging', ACTION: 'check', LOGO: 'branding/watermark.svg'], [:])
        assertEquals(String.valueOf(thrown), 'SUCCESS', result)
        assertEquals(['(any)'], nodes)
        assertEquals('branding/watermark.svg may be served as the watermark', description)
        assertEquals('<svg xmlns="http://www.w3.org/2000/svg"/>', images.resolve('watermark.svg').text)

        logo = '<svg xmlns="http://www.w3.org/2000/svg"><style>@imp&#111;rt "https://evil.example/x.css";</style></svg>'
        runJob(JOB, [ENVIRONMENT: 'staging', ACTION: 'check', LOGO: 'branding/watermark.svg'], [:])
        assertEquals('FAILURE', result)
        assertTrue(thrown.message, thrown.message.contains("the at-rule '@import' is not allowed"))
        assertFalse(Files.exists(images.resolve('watermark.svg_ba')))
    }
}
