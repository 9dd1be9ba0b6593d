package io.aapns.testing;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import java.nio.file.Path;

/**
 * A scripted server that is not this project's mock: WireMock serving HTTP/2 over TLS (ALPN h2) on loopback, with the
 * {@link TestPki} server certificate, so that the client is checked against somebody else's HTTP/2 stack too.
 */
public final class WireMockH2 {

    private WireMockH2() {}

    /** Starts WireMock on an ephemeral port of 127.0.0.1, HTTPS only; its key store is written to {@code dir}. */
    public static WireMockServer start(Path dir) throws Exception {
        TestPki pki = TestPki.get();
        WireMockServer server = new WireMockServer(wireMockConfig()
                .bindAddress("127.0.0.1")
                .httpDisabled(true)
                .dynamicHttpsPort()
                .keystoreType("PKCS12")
                .keystorePath(pki.serverKeyStore(dir).toString())
                .keystorePassword(new String(TestPki.PASSWORD))
                .keyManagerPassword(new String(TestPki.PASSWORD)));
        server.start();
        return server;
    }

    /** The origin of a started server, {@code https://127.0.0.1:<port>}. */
    public static URI origin(WireMockServer server) {
        return URI.create("https://127.0.0.1:" + server.httpsPort());
    }
}
