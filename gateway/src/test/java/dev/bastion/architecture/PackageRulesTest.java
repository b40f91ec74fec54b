package dev.bastion.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The package layout ARCHITECTURE.md describes, enforced. */
class PackageRulesTest {
    static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.bastion");
    }

    @Test
    void capabilityPackagesHaveNoCycles() {
        slices().matching("dev.bastion.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void thePipelineKnowsNoCapability() {
        noClasses().that().resideInAPackage("dev.bastion.pipeline..")
                .should().dependOnClassesThat().resideOutsideOfPackages("dev.bastion.pipeline..", "java..",
                        "com.fasterxml.jackson..")
                .check(classes);
    }

    @Test
    void onlyTheServerAndCliAssembleTheApplication() {
        noClasses().that().resideOutsideOfPackages("dev.bastion.server..", "dev.bastion.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.bastion.server..", "dev.bastion.cli..")
                .check(classes);
    }

    @Test
    void onlyTheHttpLayerTouchesTheWebServer() {
        noClasses().that().resideInAnyPackage("dev.bastion.pipeline..", "dev.bastion.identity..",
                        "dev.bastion.route..", "dev.bastion.backend..", "dev.bastion.store..", "dev.bastion.config..")
                .should().dependOnClassesThat().resideInAPackage("io.helidon..")
                .check(classes);
    }
}
