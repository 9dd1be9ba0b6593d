package io.aapns;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
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
        assertNoViolation(slices().matching("io.aapns.(*)..").should().beFreeOfCycles());
    }

    @Test
    void connectionDependsOnNothingAboveIt() {
        assertNoViolation(noClasses()
                .that()
                .resideInAPackage("io.aapns.connection..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.aapns.spi..", "io.aapns.pool..", "io.aapns.api..")
                .because("the pool and observers build on connections, not the other way round"));
    }

    /** The rule holds for the imported classes, of which there are many (an empty import passes any rule). */
    private static void assertNoViolation(ArchRule rule) {
        assertThat(classes.size()).as("classes of aapns-core imported").isGreaterThan(100);
        EvaluationResult result = rule.evaluate(classes);
        assertThat(result.hasViolation()).as("%s", result.getFailureReport()).isFalse();
    }
}
