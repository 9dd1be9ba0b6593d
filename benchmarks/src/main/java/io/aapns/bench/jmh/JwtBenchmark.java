package io.aapns.bench.jmh;

import io.aapns.auth.SigningKey;
import io.aapns.internal.JwtSigner;
import io.aapns.internal.ProviderToken;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * ES256 provider token signing. A connection signs once per 50 minutes, so this is not on the per-notification path; it
 * is here to show that renewing never stalls an event loop.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JwtBenchmark {
    private JwtSigner signer;
    private final Instant now = Instant.now();

    @Setup
    public void setUp() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        signer = JwtSigner.of(SigningKey.of(g.generateKeyPair().getPrivate(), "ABCDE12345", "TEAM123456"));
    }

    @Benchmark
    public ProviderToken sign() {
        return signer.sign(now);
    }
}
