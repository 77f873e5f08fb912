import events.jitsi.core.pipeline.PipelineSteps
import events.jitsi.core.prosody.ProsodyFixture
import events.jitsi.testbed.LocalProsody
import org.junit.Before
import org.junit.Test

import java.nio.file.Files
import java.util.function.Consumer

import static org.junit.Assert.assertEquals
import static org.junit.Assert.assertFalse
import static org.junit.Assert.assertTrue

/** The real prosodyctl, in a "container" found through a docker stand-in that answers like Docker does. */
class ProsodyAccountTest extends LibraryTestCase {
    static final String JOB = 'vars/prosodyAccount.groovy'
    static final String PASSWORD = 'unlock "rooms" \\ with ünïcödé'
    ProsodyFixture prosody
    Map<String, Map> credentials = [moderator: [username: 'moderator', password: PASSWORD]]

    @Before
    void setUpProsody() {
        prosody = new ProsodyFixture(Files.createTempDirectory('prosody'))
        prosody.containers('ecs-jitsi-meet-task-staging-5-prosody-bcf5e7c8bfd8b2f93b00 jitsi-staging-cluster prosody')
        helper.registerAllowedMethod('credentials', [Map], { Map p -> declaredParameters[p.name] = p; p })
        // As the plugin does: the credential is looked up by id, the password never passes through the arguments.
        helper.registerAllowedMethod('prosodyRegister', [Map], { Map args ->
            Map credential = credentials[args.credentialsId]
            assert credential: "no credential ${args.credentialsId}"
            Map admin = args.adminCredentialsId ? credentials[args.adminCredentialsId] : null
            assert !args.adminCredentialsId || admin: "no credential ${args.adminCredentialsId}"
            checkpointed(PipelineSteps.prosodyRegister(args, credential.username, (credential.password as String).toCharArray(),
                    admin?.username, (admin?.password as String)?.toCharArray(), prosody.docker.toString(), { String line -> log << line } as Consumer))
        })
    }

    @Test
    void withAnXmppSectionItNeedsNoAgentAndGoesOverTheMeetingsEndpoint() {
        LocalProsody server = new LocalProsody(Files.createTempDirectory('prosody-server'))
        try {
            credentials['prosody-admin'] = [username: LocalProsody.ADMIN, password: LocalProsody.ADMIN_PASSWORD]
            String environments = """
                environments:
                  staging:
                    cluster: jitsi-staging-cluster
                    services: {jitsi: {service: jitsi}}
                    xmpp: {endpoint: "${server.websocket()}", domain: meet.jitsi, admin: prosody-admin}
                """.stripIndent()
            runJob(JOB, [ENVIRONMENT: 'staging', ACCOUNT: 'moderator', ACTION: 'register'], [environments: environments])

            assertEquals(String.valueOf(thrown), 'SUCCESS', result)
            assertEquals([], nodes)
            assertTrue(server.accountExists('moderator'))
            assertEquals('staging: Registered moderator@meet.jitsi and logged in as it.', description)
            assertFalse(log.any { it.contains('unlock') || it.contains(LocalProsody.ADMIN_PASSWORD) })

            runJob(JOB, [ENVIRONMENT: 'staging', ACCOUNT: 'moderator', ACTION: 'unregister'], [environments: environments])
            assertEquals('SUCCESS', result)
            assertFalse(server.accountExists('moderator'))

            credentials['prosody-admin'] = [username: LocalProsody.OTHER, password: LocalProsody.OTHER_PASSWORD]
            runJob(JOB, [ENVIRONMENT: 'staging', ACCOUNT: 'moderator', ACTION: 'register'], [environments: environments])
            assertEquals('FAILURE', result)
            assertTrue(thrown.message, thrown.message.contains('guest@meet.jitsi may not run add-user'))
            assertFalse(server.accountExists('moderator'))
        } finally {
            server.close()
        }
    }

    @Test
    void registersTheAccountInTheClustersProsodyContainer() {
        runJob(JOB, [ENVIRONMENT: 'staging', ACCOUNT: 'moderator', ACTION: 'register'],
                [agents: [staging: 'jitsi-staging-ec2'], config: prosody.config.toString()])

        assertEquals(String.valueOf(thrown), 'SUCCESS', result)
        assertTrue(prosody.storedCredentialMatches('moderator', PASSWORD))
        assertEquals('staging: Created the account moderator@meet.jitsi.', description)
        assertEquals(['jitsi-staging-ec2'], nodes)
        assertTrue(prosody.recordedArguments().contains('ecs-jitsi-meet-task-staging-5-prosody-bcf5e7c8bfd8b2f93b00\nprosodyctl'))
        assertFalse(prosody.recordedArguments().contains('unlock'))
        assertFalse(log.any { it.contains('unlock') })
        assertEquals(['ENVIRONMENT', 'ACCOUNT', 'ACTION'] as Set, declaredParameters.keySet())
    }

    @Test
    void unregisterRemovesIt() {
        Map settings = [agents: [staging: 'jitsi-staging-ec2'], config: prosody.config.toString()]
        runJob(JOB, [ENVIRONMENT: 'staging', ACCOUNT: 'moderator', ACTION: 'register'], settings)
        runJob(JOB, [ENVIRONMENT: 'staging', ACCOUNT: 'moderator', ACTION: 'unregister'], settings)

        assertEquals('SUCCESS', result)
        assertFalse(Files.exists(prosody.accountFile('moderator')))
        assertEquals('staging: Removed the account moderator@meet.jitsi.', description)
    }

    @Test
    void anEnvironmentWithoutAnAgentOrWithoutAProsodyContainerFails() {
        runJob(JOB, [ENVIRONMENT: 'production', ACCOUNT: 'moderator', ACTION: 'register'], [agents: [staging: 'jitsi-staging-ec2']])
        assertEquals('FAILURE', result)
        assertTrue(thrown.message, thrown.message.contains("No agent for 'production'"))
        assertTrue(thrown.message, thrown.message.contains('or an xmpp section in the environments file to need none'))

        runJob(JOB, [ENVIRONMENT: 'production', ACCOUNT: 'moderator', ACTION: 'register'],
                [agents: [production: 'jitsi-ec2'], config: prosody.config.toString()])
        assertEquals('FAILURE', result)
        assertTrue(thrown.message, thrown.message.contains('No running prosody container of ECS cluster jitsi-cluster'))
        assertFalse(Files.exists(prosody.accountFile('moderator')))
    }
}
