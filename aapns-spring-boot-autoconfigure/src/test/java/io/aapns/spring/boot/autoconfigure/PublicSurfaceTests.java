package io.aapns.spring.boot.autoconfigure;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

/**
 * What the auto-configuration module shows its users: the properties, the customizer, the named clients'
 * {@code ApnsClients}, the auto-configuration classes and the exceptions start-up fails with. Everything else is
 * package-private, so it can change.
 */
class PublicSurfaceTests {

    @Test
    void onlyThePropertiesTheCustomizerApnsClientsTheAutoConfigurationsAndTheExceptionsArePublic() {
        JavaClasses main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.aapns.spring.boot.autoconfigure");
        assertThat(main.size()).as("classes of the module imported").isGreaterThan(10);
        EvaluationResult result = classes()
                .that()
                .arePublic()
                .and()
                .areTopLevelClasses()
                .should()
                .haveSimpleNameEndingWith("AutoConfiguration")
                .orShould()
                .haveSimpleName("ApnsProperties")
                .orShould()
                .haveSimpleName("ApnsClientBuilderCustomizer")
                .orShould()
                .haveSimpleName("ApnsClients")
                .orShould()
                .haveSimpleNameEndingWith("Exception")
                .evaluate(main);
        assertThat(result.hasViolation()).as("%s", result.getFailureReport()).isFalse();
    }
}
