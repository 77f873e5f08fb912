import com.lesfurets.jenkins.unit.cps.BasePipelineTestCPS
import events.jitsi.core.aws.AwsServices
import events.jitsi.core.pipeline.AwsAccess
import events.jitsi.core.pipeline.PipelineSteps
import events.jitsi.core.pipeline.WatermarkArguments
import events.jitsi.core.time.VirtualTime
import events.jitsi.simulator.EcsSimulator
import org.junit.After
import org.junit.Before
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider
import software.amazon.awssdk.services.ecs.EcsClient

import java.nio.file.Files
import java.nio.file.Path
import java.time.Instant
import java.util.function.Consumer
import java.util.function.Function

/**
 * Runs a vars/ script in JenkinsPipelineUnit's CPS interpreter with the plugin's steps bound to the real engine
 * (PipelineSteps, which also rejects unknown argument names) against the ECS simulator in simulated time, and the
 * Jenkins steps the scripts use bound to small stand-ins that keep what a build would keep (workspace files,
 * archived artifacts, JUnit reports, description, result).
 */
abstract class LibraryTestCase extends BasePipelineTestCPS {
    VirtualTime time
    EcsSimulator sim
    AwsServices aws
    EcsClient ecs
    PipelineSteps steps
    Path workspace
    List<String> log = []
    List<String> archived = []
    List<String> junitReports = []
    List<Map> inputs = []
    List<Map> locks = []
    List<String> nodes = []
    Map<String, Object> declaredParameters = [:]
    /** What the approver does: by default approves; a test may throw to reject. */
    Closure approval = { Map args -> null }
    Throwable thrown

    @Before
    void setUp() {
        // vars/ are loaded from the repository root, and src/ is on the classpath as @Library puts it.
        scriptRoots = ['.', 'src'] as String[]
        scriptExtension = 'groovy'
        super.setUp()
        time = new VirtualTime(Instant.parse('2026-11-28T02:00:00Z'))
        sim = EcsSimulator.startDefault(time)
        aws = new AwsServices(sim.region(), sim.endpoint(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create('AKIDLIBRARY', 'library-test-secret')))
        ecs = aws.ecs()
        recorded << aws
        workspace = Files.createTempDirectory('events-jitsi-workspace')
        steps = new PipelineSteps({ AwsAccess access -> aws } as Function, time, { String line -> log << line } as Consumer)
        binding.setVariable('params', [:])
        binding.setVariable('currentBuild', [result: 'SUCCESS', description: null, currentResult: 'SUCCESS'])
        binding.setVariable('env', [:])
        registerPluginSteps()
        registerJenkinsSteps()
    }

    /** Every set of AWS clients the job's steps used; their calls are checked against {@link #iamPolicy()}. */
    List<AwsServices> recorded = []
    /** The AWS actions the jobs run by this test called. */
    List<String> jobCalls = []

    /**
     * The IAM policy the job runs with (a file under resources/events/jitsi/iam/, without .json), or null for a job
     * that makes no AWS call of its own.
     */
    String iamPolicy() {
        null
    }

    @After
    void tearDown() {
        try {
            if (iamPolicy() != null) {
                assertEveryCallIsAllowedBy(iamPolicy())
            }
        } finally {
            aws?.close()
            sim?.close()
        }
    }

    /** The shipped policy lists every AWS action the job called (a read-only policy: only Describe*, List*, Get*). */
    private void assertEveryCallIsAllowedBy(String policy) {
        def document = new groovy.json.JsonSlurper().parse(new File("resources/events/jitsi/iam/${policy}.json"))
        Set<String> allowed = document.Statement.collectMany { it.Action instanceof List ? it.Action : [it.Action] } as Set
        Set<String> called = jobCalls as Set
        Set<String> missing = called - allowed
        assert missing.isEmpty(): "the job called ${missing} but resources/events/jitsi/iam/${policy}.json does not allow it"
        if (policy.endsWith('readonly')) {
            Set<String> writes = allowed.findAll { !(it.split(':')[1] ==~ /(Describe|List|Get).*/) }
            assert writes.isEmpty(): "${policy}.json allows more than reading: ${writes}"
            Set<String> calledWrites = called.findAll { !(it.split(':')[1] ==~ /(Describe|List|Get).*/) }
            assert calledWrites.isEmpty(): "a read-only job called ${calledWrites}"
        }
    }

    private void registerPluginSteps() {
        helper.registerAllowedMethod('ecsDeployRevision', [Map], { Map args -> checkpointed(steps.ecsDeployRevision(args)) })
        helper.registerAllowedMethod('waitForServiceStable', [Map], { Map args -> checkpointed(steps.waitForServiceStable(args)) })
        // As the plugin does: the report goes into the workspace under the (checked) name the Pipeline gave.
        helper.registerAllowedMethod('verifyEnvironments', [Map], { Map args ->
            checkpointed(steps.verifyEnvironments(args, PipelineSteps.reportsIn(workspace)))
        })
        helper.registerAllowedMethod('ecsServiceState', [Map], { Map args -> checkpointed(steps.ecsServiceState(args)) })
        helper.registerAllowedMethod('jitsiEnvironments', [Map], { Map args -> checkpointed(PipelineSteps.jitsiEnvironments(args)) })
        // As the plugin does: through SSM from the "controller" (the engine's steps and their AWS clients), or in the folder.
        helper.registerAllowedMethod('jitsiWatermark', [Map], { Map args ->
            WatermarkArguments arguments = WatermarkArguments.of(args)
            checkpointed(arguments.overSsm() ? steps.jitsiWatermarkOverSsm(arguments, workspace)
                    : PipelineSteps.jitsiWatermark(arguments, workspace, { String line -> log << line } as Consumer))
        })
    }

    /**
     * Jenkins saves the program, with the values a step returned, whenever a step suspends it; a result that cannot
     * be serialized breaks the build at the first restart. JenkinsPipelineUnit 1.1 does not check that, so this does.
     */
    static Object checkpointed(Object result) {
        new ObjectOutputStream(new ByteArrayOutputStream()).withCloseable { it.writeObject(result) }
        return result
    }

    private void registerJenkinsSteps() {
        helper.registerAllowedMethod('properties', [List], null)
        helper.registerAllowedMethod('disableConcurrentBuilds', [], { -> [disableConcurrentBuilds: true] })
        helper.registerAllowedMethod('parameters', [List], { List ps -> ps })
        ['choice', 'string', 'booleanParam'].each { String type ->
            helper.registerAllowedMethod(type, [Map], { Map p -> declaredParameters[p.name] = p; p })
        }
        helper.registerAllowedMethod('libraryResource', [String], { String path -> new File("resources/${path}").getText('UTF-8') })
        helper.registerAllowedMethod('stage', [String, Closure], { String name, Closure body ->
            log << "[stage ${name}]".toString()
            body()
        })
        helper.registerAllowedMethod('node', [String, Closure], { String label, Closure body -> nodes << label; body() })
        helper.registerAllowedMethod('node', [Closure], { Closure body -> nodes << '(any)'; body() })
        helper.registerAllowedMethod('lock', [Map, Closure], { Map args, Closure body -> locks << args; body() })
        helper.registerAllowedMethod('timeout', [Map, Closure], { Map args, Closure body -> body() })
        helper.registerAllowedMethod('input', [Map], { Map args -> inputs << args; approval(args) })
        helper.registerAllowedMethod('echo', [String], { String message -> log << message })
        helper.registerAllowedMethod('error', [String], { String message ->
            binding.getVariable('currentBuild').result = 'FAILURE'
            throw new StepFailure(message)
        })
        helper.registerAllowedMethod('unstable', [String], { String message ->
            log << "UNSTABLE: ${message}".toString()
            def build = binding.getVariable('currentBuild')
            if (build.result == 'SUCCESS') {
                build.result = 'UNSTABLE'
            }
        })
        helper.registerAllowedMethod('writeFile', [Map], { Map args -> workspace.resolve(args.file as String).text = args.text })
        helper.registerAllowedMethod('archiveArtifacts', [Map], { Map args ->
            assert Files.exists(workspace.resolve(args.artifacts as String)): "archiveArtifacts: ${args.artifacts} is not in the workspace"
            archived << (args.artifacts as String)
        })
        helper.registerAllowedMethod('junit', [Map], { Map args ->
            Path report = workspace.resolve(args.testResults as String)
            assert Files.exists(report): "junit: ${args.testResults} is not in the workspace"
            junitReports << report.text
            // As Jenkins' junit step does: failed test cases make the build UNSTABLE.
            if (report.text.contains('<failure')) {
                def build = binding.getVariable('currentBuild')
                if (build.result == 'SUCCESS') {
                    build.result = 'UNSTABLE'
                }
            }
        })
    }

    /** Runs the job as Jenkins would end it: an interruption (a rejected input) aborts, any other exception fails. */
    void runJob(String script, Map parameters = [:], Map config = [:]) {
        Map<AwsServices, Integer> before = recorded.collectEntries { [(it): it.calls().count()] }
        try {
            runJobOnly(script, parameters, config)
        } finally {
            // Only the job's own calls count against its policy, not a test's preparations.
            recorded.each { AwsServices services ->
                List<String> all = services.calls().actions()
                jobCalls.addAll(all.subList(before.getOrDefault(services, 0), all.size()))
            }
        }
    }

    private void runJobOnly(String script, Map parameters, Map config) {
        binding.setVariable('params', parameters)
        def job = loadScript(script)
        try {
            job.call(config)
        } catch (InterruptedException e) {
            binding.getVariable('currentBuild').result = 'ABORTED'
            thrown = e
        } catch (Throwable e) {
            binding.getVariable('currentBuild').result = 'FAILURE'
            thrown = e
        }
    }

    String getResult() {
        binding.getVariable('currentBuild').result
    }

    String getDescription() {
        binding.getVariable('currentBuild').description
    }

    /** The calls that changed ECS (RegisterTaskDefinition, UpdateService, DeregisterTaskDefinition), in order. */
    List<String> writes() {
        sim.calls().findAll { it in ['RegisterTaskDefinition', 'UpdateService', 'DeregisterTaskDefinition'] }
    }
}

/** What Jenkins' error step throws. */
class StepFailure extends RuntimeException {
    StepFailure(String message) {
        super(message)
    }
}
