package io.aapns.cli;

/** The jar's entry point: {@code java -jar aapns.jar COMMAND ...}; exits with the command's {@link ExitCodes}. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        int code = AapnsCommand.run(args, CliEnvironment.system());
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }
}
