package events.jitsi.core;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The engine's packages stay layered, so each can be read and tested alone: aws and time at the bottom, the
 * operations (ecs, prosody, watermark, verify, status) above them, config above the operations it describes, pipeline
 * (the steps' facade) on top. Read from the compiled classes, so a fully qualified name counts as much as an import.
 */
class PackageLayoutTest {
    private static JavaClasses engine;

    @BeforeAll
    static void importEngine() {
        // The engine's own classes only: scanning the class path for the package would read every jar on it.
        engine = new ClassFileImporter().importPath(Path.of(InvalidInputException.class.getProtectionDomain().getCodeSource().getLocation().getPath()));
    }

    @Test
    void noPackageCycles() {
        slices().matching("events.jitsi.core.(*)..").should().beFreeOfCycles().check(engine);
    }

    @Test
    void operationsDoNotReadTheEnvironmentsFile() {
        noClasses().that().resideInAnyPackage("events.jitsi.core.aws..", "events.jitsi.core.time..",
                        "events.jitsi.core.ecs..", "events.jitsi.core.prosody..", "events.jitsi.core.watermark..")
                .should().dependOnClassesThat().resideInAPackage("events.jitsi.core.config..")
                .check(engine);
    }

    @Test
    void onlyThePipelineFacadeSeesEveryOperation() {
        noClasses().that().resideOutsideOfPackage("events.jitsi.core.pipeline..")
                .should().dependOnClassesThat().resideInAPackage("events.jitsi.core.pipeline..")
                .check(engine);
    }
}
