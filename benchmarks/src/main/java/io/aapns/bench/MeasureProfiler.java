package io.aapns.bench;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Profiles the measured phase only (never the warm-up), when asked by system properties:
 *
 * <ul>
 *   <li>{@code -Daapns.load.jfr=FILE.jfr}: a JFR recording with the JDK's "profile" settings; read it with {@code jfr
 *       print --events jdk.ExecutionSample FILE.jfr}.
 *   <li>{@code -Daapns.load.asyncProfiler=/path/libasyncProfiler.so} and
 *       {@code -Daapns.load.profileFile=OUT.collapsed}: async-profiler (CPU, itimer) with its
 *       {@code one.profiler.AsyncProfiler} class on the class path (the jar of the Maven Central artifact
 *       {@code tools.profiler:async-profiler}); collapsed stacks, native frames (JIT, GC, syscalls) included.
 *       {@code -Daapns.load.profileEvent=event=alloc} profiles allocations instead.
 * </ul>
 */
final class MeasureProfiler {
    private final PrintStream err;
    private final String jfrFile;
    private final String asyncLib;
    private final String asyncFile;
    private Object recording;
    private Object asyncProfiler;

    private MeasureProfiler(PrintStream err, String jfrFile, String asyncLib, String asyncFile) {
        this.err = err;
        this.jfrFile = jfrFile;
        this.asyncLib = asyncLib;
        this.asyncFile = asyncFile;
    }

    static MeasureProfiler fromSystemProperties(PrintStream err) {
        return new MeasureProfiler(
                err,
                System.getProperty("aapns.load.jfr"),
                System.getProperty("aapns.load.asyncProfiler"),
                System.getProperty("aapns.load.profileFile", "aapns-load.collapsed"));
    }

    void start() {
        if (jfrFile != null) {
            try {
                jdk.jfr.Recording r = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
                r.setToDisk(true);
                r.start();
                recording = r;
            } catch (Exception e) {
                err.println("aapns-load: cannot start JFR: " + e);
            }
        }
        if (asyncLib != null) {
            try {
                Class<?> c = Class.forName("one.profiler.AsyncProfiler");
                asyncProfiler = c.getMethod("getInstance", String.class).invoke(null, asyncLib);
                c.getMethod("execute", String.class)
                        .invoke(
                                asyncProfiler,
                                "start," + System.getProperty("aapns.load.profileEvent", "event=itimer,interval=1ms"));
            } catch (Exception e) {
                err.println("aapns-load: cannot start async-profiler: " + e);
                asyncProfiler = null;
            }
        }
    }

    void stop() {
        if (recording instanceof jdk.jfr.Recording r) {
            try {
                r.stop();
                r.dump(Path.of(jfrFile));
                r.close();
            } catch (Exception e) {
                err.println("aapns-load: cannot write JFR: " + e);
            }
        }
        if (asyncProfiler != null) {
            try {
                asyncProfiler
                        .getClass()
                        .getMethod("execute", String.class)
                        .invoke(asyncProfiler, "stop,collapsed,file=" + asyncFile);
            } catch (Exception e) {
                err.println("aapns-load: cannot stop async-profiler: " + e);
            }
        }
    }
}
