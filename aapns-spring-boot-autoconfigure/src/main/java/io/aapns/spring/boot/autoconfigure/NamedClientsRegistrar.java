package io.aapns.spring.boot.autoconfigure;

import java.util.List;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers a bean {@code <name>ApnsClient} ({@link NamedApnsClientBean}) for each named client of
 * {@code aapns.clients.<name>.*}, unless the application already defines a bean of that name (it then takes that
 * client's place, in {@link ApnsClients} too) or the client sets {@code enabled: false}. The client with
 * {@code primary: true} is the primary {@code ApnsClient}; at most one may be.
 */
final class NamedClientsRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware {

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        NamedClientProperties named = new NamedClientProperties(environment);
        List<String> names = named.names();
        List<String> primaries = names.stream().filter(named::primary).toList();
        if (primaries.size() > 1) {
            throw new ApnsConfigurationException(
                    "Several named APNs clients are marked primary: " + String.join(", ", primaries) + ".",
                    "Set aapns.clients.<name>.primary=true for one client at most.",
                    null);
        }
        for (String name : names) {
            String beanName = ClientNames.beanOf(name);
            if (registry.containsBeanDefinition(beanName)
                    || !named.properties(name).enabled()) {
                continue;
            }
            RootBeanDefinition definition = new RootBeanDefinition(NamedApnsClientBean.class);
            definition.getConstructorArgumentValues().addIndexedArgumentValue(0, name);
            definition.setAutowireMode(AbstractBeanDefinition.AUTOWIRE_CONSTRUCTOR);
            definition.setRole(BeanDefinition.ROLE_APPLICATION);
            definition.setPrimary(primaries.contains(name));
            registry.registerBeanDefinition(beanName, definition);
        }
    }
}
