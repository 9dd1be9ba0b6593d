package io.aapns.spring.boot.test;

import java.util.List;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/** Gives a test class annotated {@link AutoConfigureMockApns} its mock APNs server. Registered in spring.factories. */
final class MockApnsContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(
            Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
        AutoConfigureMockApns annotation =
                TestContextAnnotationUtils.findMergedAnnotation(testClass, AutoConfigureMockApns.class);
        return annotation == null
                ? null
                : new MockApnsContextCustomizer(
                        annotation.topic(), annotation.authentication(), annotation.development());
    }
}
