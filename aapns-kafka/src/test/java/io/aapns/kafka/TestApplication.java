package io.aapns.kafka;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/** The smallest Spring Boot application: auto-configuration only, as a user's application would have. */
@SpringBootConfiguration
@EnableAutoConfiguration
class TestApplication {}
