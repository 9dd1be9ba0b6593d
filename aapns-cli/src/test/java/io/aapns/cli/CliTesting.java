package io.aapns.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** Runs {@code aapns} commands in-process with captured output, and makes the files they read. */
final class CliTesting {

    static final String TOPIC = "com.example.app";
    static final String KEY_ID = "ABC123DEFG";
    static final String TEAM_ID = "TEAM123456";

    private CliTesting() {}

    /** What a command did: its exit code and what it wrote. */
    record Run(int exitCode, String out, String err) {
        List<String> outLines() {
            return out.isEmpty() ? List.of() : List.of(out.split("\n"));
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out:\n" + out + "--- err:\n" + err;
        }
    }

    /** A command line to run, with its environment. */
    static final class Cli {
        private final Map<String, String> variables = new HashMap<>();
        private InputStream in = InputStream.nullInputStream();
        private CliEnvironment.PasswordPrompt prompt;
        private CliEnvironment.Interrupts interrupts;
        private CliEnvironment.Lifetime lifetime;
        private StringWriter out = new StringWriter();
        private StringWriter err = new StringWriter();

        Cli env(String name, String value) {
            variables.put(name, value);
            return this;
        }

        Cli in(InputStream in) {
            this.in = in;
            return this;
        }

        Cli prompt(CliEnvironment.PasswordPrompt prompt) {
            this.prompt = prompt;
            return this;
        }

        Cli interrupts(CliEnvironment.Interrupts interrupts) {
            this.interrupts = interrupts;
            return this;
        }

        Cli lifetime(CliEnvironment.Lifetime lifetime) {
            this.lifetime = lifetime;
            return this;
        }

        /** What was written so far (for a command still running). */
        String outSoFar() {
            synchronized (out) {
                return out.toString();
            }
        }

        Run run(String... args) {
            CliEnvironment.Builder b = CliEnvironment.builder()
                    .variables(variables)
                    .in(in)
                    .out(new PrintWriter(out, true))
                    .err(new PrintWriter(err, true))
                    .prompt(prompt);
            if (interrupts != null) {
                b.interrupts(interrupts);
            }
            if (lifetime != null) {
                b.lifetime(lifetime);
            }
            int code = AapnsCommand.run(args, b.build());
            return new Run(code, out.toString(), err.toString());
        }
    }

    static Cli cli() {
        return new Cli();
    }

    /** {@code prefix} then {@code args}: for building command lines. */
    static String[] args(List<String> prefix, String... args) {
        List<String> all = new ArrayList<>(prefix);
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }

    static KeyPair ecKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Writes the private key as Apple's AuthKey_KEYID.p8 (PKCS#8 PEM) into {@code dir}. */
    static Path writeP8(Path dir, KeyPair key) throws IOException {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(key.getPrivate().getEncoded());
        Path file = dir.resolve("AuthKey_" + KEY_ID + ".p8");
        Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n");
        return file;
    }

    /** Writes {@code key} as an encrypted PKCS#8 PEM ({@code BEGIN ENCRYPTED PRIVATE KEY}, PBES2 with AES-256). */
    static Path writeEncryptedKey(Path file, java.security.PrivateKey key, char[] password) throws Exception {
        String algorithm = "PBEWithHmacSHA256AndAES_256";
        byte[] salt = new byte[16];
        byte[] iv = new byte[16];
        java.security.SecureRandom random = new java.security.SecureRandom();
        random.nextBytes(salt);
        random.nextBytes(iv);
        javax.crypto.SecretKey pbeKey = javax.crypto.SecretKeyFactory.getInstance(algorithm)
                .generateSecret(new javax.crypto.spec.PBEKeySpec(password));
        javax.crypto.Cipher cipher = javax.crypto.Cipher.getInstance(algorithm);
        cipher.init(
                javax.crypto.Cipher.ENCRYPT_MODE,
                pbeKey,
                new javax.crypto.spec.PBEParameterSpec(salt, 10_000, new javax.crypto.spec.IvParameterSpec(iv)));
        byte[] encrypted = cipher.doFinal(key.getEncoded());
        // SEQUENCE { SEQUENCE { OID pbes2, PBES2-params }, OCTET STRING }, as openssl writes it
        byte[] pbes2Oid = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x05, 0x0d};
        byte[] algorithmId = der(0x30, concat(pbes2Oid, cipher.getParameters().getEncoded()));
        byte[] info = der(0x30, concat(algorithmId, der(0x04, encrypted)));
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(info);
        return Files.writeString(
                file, "-----BEGIN ENCRYPTED PRIVATE KEY-----\n" + body + "\n-----END ENCRYPTED PRIVATE KEY-----\n");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] der(int tag, byte[] content) {
        int n = content.length;
        byte[] length = n < 0x80
                ? new byte[] {(byte) n}
                : n < 0x100 ? new byte[] {(byte) 0x81, (byte) n} : new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
        return concat(concat(new byte[] {(byte) tag}, length), content);
    }

    /** A 64-digit token that differs by {@code i}. */
    static String token(int i) {
        return String.format("%064x", 0x1000L + i);
    }

    /** Writes an executable fake {@code xcrun} that records its arguments and the payload file it was given. */
    static Path fakeXcrun(Path folder, String extra) throws IOException {
        Files.createDirectories(folder);
        Path script = folder.resolve("xcrun");
        Files.writeString(
                script,
                "#!/bin/sh\n"
                        + "here=\"$(dirname \"$0\")\"\n"
                        + "printf '%s\\n' \"$@\" > \"$here/args.txt\"\n"
                        + "cat \"$5\" > \"$here/payload.json\"\n"
                        + extra);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    /** An {@link CliEnvironment.Interrupts} that keeps the hook, for a test to fire as Ctrl-C would. */
    static final class FakeInterrupts implements CliEnvironment.Interrupts {
        private volatile Runnable hook;
        private volatile CountDownLatch finished;
        final CountDownLatch installed = new CountDownLatch(1);

        @Override
        public AutoCloseable onInterrupt(Runnable onInterrupt, CountDownLatch finished, java.time.Duration maxWait) {
            this.hook = onInterrupt;
            this.finished = finished;
            installed.countDown();
            return () -> {};
        }

        /** Fires the hook as the JVM would on Ctrl-C, and returns the latch the command counts down when done. */
        CountDownLatch press() {
            hook.run();
            return finished;
        }
    }
}
