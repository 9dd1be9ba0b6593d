package io.aapns;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The package rules of DESIGN.md, checked on the compiled main classes of aapns-core. */
class PackageStructureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.aapns");
    }

    @Test
    void packagesFormNoCycle() {
        slices().matching("io.aapns.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void connectionDependsOnNothingAboveIt() {
        noClasses()
                .that()
                .resideInAPackage("io.aapns.connection..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.aapns.spi..", "io.aapns.pool..", "io.aapns.api..")
                .because("the pool and observers build on connections, not the other way round")
                .check(classes);
    }
}
