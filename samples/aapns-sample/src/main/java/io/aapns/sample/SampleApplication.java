package io.aapns.sample;

import io.aapns.sample.support.EmbeddedMockApns;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A web app that sends pushes through the aapns starter. Without APNs credentials in its configuration it starts an
 * embedded mock APNs server ({@link EmbeddedMockApns}) and sends there.
 */
@SpringBootApplication
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
