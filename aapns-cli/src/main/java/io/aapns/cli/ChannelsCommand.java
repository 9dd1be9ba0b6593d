package io.aapns.cli;

import io.aapns.channels.ApnsChannels;
import io.aapns.channels.Channel;
import io.aapns.model.MessageStoragePolicy;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code aapns channels}: creates, reads, lists and deletes the broadcast channels of an app on APNs' channel
 * management host, through {@link ApnsChannels}. Only holds its four commands.
 */
@Command(
        name = "channels",
        mixinStandardHelpOptions = true,
        description = "Manage an app's broadcast channels (iOS 18 Live Activities): create, get, list, delete.",
        subcommands = {
            ChannelsCommand.Create.class,
            ChannelsCommand.Get.class,
            ChannelsCommand.ListChannels.class,
            ChannelsCommand.Delete.class
        },
        footer = {
            "",
            "Each takes the connection options of 'aapns send', and --management-url. Exit status: 0 done, 1 rejected"
                    + " by APNs, 2 usage error, 3 no answer."
        })
final class ChannelsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "name a channels command: create, get, list or" + " delete");
    }

    private static final String FOOTER_ENV = "Environment: APNS_P8, APNS_KEY_ID, APNS_TEAM_ID, APNS_CERT, APNS_KEY,"
            + " APNS_CERT_PASSWORD, APNS_ENV, APNS_MANAGEMENT_URL, APNS_TRUST, APNS_TOPIC stand in for options not"
            + " given.";

    /** {@code aapns channels create}: makes a channel and prints its id. */
    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            sortOptions = false,
            description = "Create a broadcast channel and print its id.",
            footer = {"", FOOTER_ENV})
    static final class Create extends ChannelCommand {

        @Option(
                names = "--storage-policy",
                paramLabel = "0|1",
                defaultValue = "0",
                description = "0: no message stored for offline devices (the default; a larger budget for frequent"
                        + " updates), 1: the most recent message stored, up to 8 hours")
        int storagePolicy;

        Create(CliEnvironment env) {
            super(env);
        }

        @Override
        int run(ApnsChannels channels) throws Exception {
            MessageStoragePolicy policy = policy(storagePolicy);
            String id = await(channels.create(policy), "create a channel");
            env.out().println(id);
            return ExitCodes.OK;
        }

        private static MessageStoragePolicy policy(int value) {
            try {
                return MessageStoragePolicy.fromValue(value);
            } catch (IllegalArgumentException e) {
                throw new CliException("--storage-policy " + value + ": use 0 (no message stored) or 1 (most recent"
                        + " message stored)");
            }
        }
    }

    /** {@code aapns channels get ID}: prints a channel's id, storage policy and push type. */
    @Command(
            name = "get",
            mixinStandardHelpOptions = true,
            sortOptions = false,
            description = "Print a channel's id, storage policy and push type.",
            footer = {"", FOOTER_ENV})
    static final class Get extends ChannelCommand {

        @Parameters(paramLabel = "CHANNEL_ID", description = "the channel (base64)")
        String channelId;

        Get(CliEnvironment env) {
            super(env);
        }

        @Override
        int run(ApnsChannels channels) throws Exception {
            Channel channel = await(channels.get(channelId), "read channel " + channelId);
            PrintWriter out = env.out();
            out.println("id: " + channel.id());
            out.println("storage-policy: " + channel.storagePolicy().value() + " ("
                    + channel.storagePolicy()
                            .name()
                            .toLowerCase(java.util.Locale.ROOT)
                            .replace('_', ' ') + ")");
            out.println("push-type: " + channel.pushType());
            return ExitCodes.OK;
        }
    }

    /** {@code aapns channels list}: prints the app's channel ids, one a line. */
    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            sortOptions = false,
            description = "Print the app's channel ids, one per line.",
            footer = {"", FOOTER_ENV})
    static final class ListChannels extends ChannelCommand {

        ListChannels(CliEnvironment env) {
            super(env);
        }

        @Override
        int run(ApnsChannels channels) throws Exception {
            List<String> ids = await(channels.list(), "list the channels");
            ids.forEach(env.out()::println);
            return ExitCodes.OK;
        }
    }

    /** {@code aapns channels delete ID}: deletes a channel for good. */
    @Command(
            name = "delete",
            mixinStandardHelpOptions = true,
            sortOptions = false,
            description = "Delete a channel, for good: later broadcasts to it are refused.",
            footer = {"", FOOTER_ENV})
    static final class Delete extends ChannelCommand {

        @Parameters(paramLabel = "CHANNEL_ID", description = "the channel (base64)")
        String channelId;

        Delete(CliEnvironment env) {
            super(env);
        }

        @Override
        int run(ApnsChannels channels) throws Exception {
            await(channels.delete(channelId), "delete channel " + channelId);
            env.out().println("deleted " + channelId);
            return ExitCodes.OK;
        }
    }
}
