package io.aapns.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code aapns}: the top-level command, which only holds the others ({@code send}, {@code broadcast}, {@code channels},
 * {@code simulator}, {@code mock}). {@link #run(String[], CliEnvironment)} parses and runs a command line and returns
 * its exit code.
 */
@Command(
        name = "aapns",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Push notifications from the command line: send to APNs (one token or a file of them),"
                + " broadcast Live Activity updates to channels and manage them, push to the iOS Simulator, or run a"
                + " mock APNs server.",
        subcommands = {
            SendCommand.class,
            BroadcastCommand.class,
            ChannelsCommand.class,
            SimulatorCommand.class,
            MockCommand.class,
            CommandLine.HelpCommand.class,
            AutoComplete.GenerateCompletion.class
        },
        footer = {
            "",
            "Exit status: 0 all accepted, 1 any rejected, 2 usage or validation error, 3 a notification without an"
                    + " answer.",
            "Run 'aapns help COMMAND' for a command's options; docs/cli.md has examples."
        })
public final class AapnsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "name a command: send, broadcast, channels, simulator or mock");
    }

    /** Parses {@code args}, runs the command in {@code env} and returns its exit code. */
    public static int run(String[] args, CliEnvironment env) {
        return commandLine(env).execute(args);
    }

    /** The command tree, with its output, errors and exit codes wired to {@code env}. */
    static CommandLine commandLine(CliEnvironment env) {
        CommandLine cli = new CommandLine(new AapnsCommand(), new Factory(env));
        cli.setOut(env.out());
        cli.setErr(env.err());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        // @FILE is an option's value here (--content-state @state.json), not a file of arguments
        cli.setExpandAtFiles(false);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            CliException problem = CliProblems.toCliException(e);
            commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": " + problem.getMessage());
            commandLine.getErr().flush();
            return problem.exitCode();
        });
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine commandLine = e.getCommandLine();
            commandLine.getErr().println("aapns: " + e.getMessage());
            if (commandLine.getParent() == null) {
                commandLine
                        .getErr()
                        .println("The commands are send, broadcast, channels, simulator and mock; run 'aapns"
                                + " --help'.");
            } else if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, commandLine.getErr())) {
                commandLine
                        .getErr()
                        .println("Run '" + commandLine.getCommandSpec().qualifiedName() + " --help' for its options.");
            }
            commandLine.getErr().flush();
            return ExitCodes.USAGE;
        });
        return cli;
    }

    /** Makes the commands with the environment they run in. */
    private static final class Factory implements CommandLine.IFactory {
        private final CliEnvironment env;
        private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

        Factory(CliEnvironment env) {
            this.env = env;
        }

        @Override
        public <K> K create(Class<K> cls) throws Exception {
            try {
                // the commands take the environment they run in
                return cls.cast(cls.getDeclaredConstructor(CliEnvironment.class).newInstance(env));
            } catch (NoSuchMethodException notACommandOfOurs) {
                return fallback.create(cls);
            }
        }
    }
}
