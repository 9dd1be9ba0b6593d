package io.aapns.connection;

import io.aapns.errors.ConnectFailedException;
import io.aapns.errors.ConnectFailedException.Kind;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.socksx.v5.Socks5AuthMethod;
import io.netty.handler.codec.socksx.v5.Socks5CommandResponse;
import io.netty.handler.codec.socksx.v5.Socks5CommandStatus;
import io.netty.handler.codec.socksx.v5.Socks5InitialResponse;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthResponse;

/**
 * What a proxy answered while a tunnel was being set up, and what a failed set-up means: it sits between the proxy
 * protocol's decoder and Netty's proxy handler, notes each decoded reply (the HTTP status of the {@code CONNECT}, the
 * SOCKS5 method choice, authentication status and command status) and passes it on untouched. Netty's handler reports
 * every failure with one exception type and a message meant for logs; {@link #failure} turns the recorded replies into
 * a {@link ConnectFailedException} that says what happened and what to fix.
 */
final class ProxyReplies extends ChannelInboundHandlerAdapter {
    private final ProxyOptions proxy;
    private final String target;

    private HttpResponseStatus httpStatus;
    private Socks5AuthMethod socksMethod;
    private Socks5PasswordAuthResponse socksAuth;
    private Socks5CommandStatus socksCommand;
    private boolean closed;

    /** Records the replies of {@code proxy} to a tunnel towards {@code target} ({@code host:port}). */
    ProxyReplies(ProxyOptions proxy, String target) {
        this.proxy = proxy;
        this.target = target;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpResponse response) {
            httpStatus = response.status();
        } else if (msg instanceof Socks5InitialResponse initial) {
            socksMethod = initial.authMethod();
        } else if (msg instanceof Socks5PasswordAuthResponse auth) {
            socksAuth = auth;
        } else if (msg instanceof Socks5CommandResponse command) {
            socksCommand = command.status();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        ctx.fireChannelInactive();
    }

    /** The tunnel's destination, {@code host:port}. */
    String target() {
        return target;
    }

    /** Whether the proxy answered anything yet. */
    boolean answered() {
        return httpStatus != null || socksMethod != null;
    }

    /**
     * The failure the proxy has already answered with (a status other than 200, a SOCKS5 refusal), or null when it has
     * refused nothing yet: what a set-up that runs out of time reports when the proxy said no and left the connection
     * open.
     */
    ConnectFailedException refusal() {
        if (httpStatus != null && httpStatus.code() != 200) {
            return httpFailure("the " + proxy.describe(), null);
        }
        return socksMethod != null ? socksFailure("the " + proxy.describe(), null) : null;
    }

    /** The failure of a tunnel set-up that ended with {@code cause}, said in terms of what the proxy answered. */
    ConnectFailedException failure(Throwable cause) {
        String who = "the " + proxy.describe();
        if (httpStatus != null && httpStatus.code() != 200) {
            return httpFailure(who, cause);
        }
        if (socksMethod != null) {
            ConnectFailedException socks = socksFailure(who, cause);
            if (socks != null) {
                return socks;
            }
        }
        if (closed) {
            return new ConnectFailedException(
                    Kind.CONNECT_FAILED,
                    who + " closed the connection before it opened the tunnel to " + target
                            + (answered() ? "" : " (it sent no answer)"),
                    cause);
        }
        return new ConnectFailedException(
                Kind.CONNECT_FAILED,
                "the tunnel through " + proxy.describe() + " to " + target + " failed: " + Frames.describe(cause),
                cause);
    }

    private ConnectFailedException httpFailure(String who, Throwable cause) {
        int code = httpStatus.code();
        String status = httpStatus.code() + " " + httpStatus.reasonPhrase();
        if (code == 407) {
            return new ConnectFailedException(
                    Kind.PROXY_AUTH_FAILED,
                    proxy.hasCredentials()
                            ? who + " refused the user name and password (" + status + "): check the proxy credentials"
                            : who + " requires authentication (" + status
                                    + "): give the proxy a user name and password",
                    cause);
        }
        if (code >= 500 || code == 408 || code == 429) {
            // The proxy could not reach APNs, or is overloaded: it may pass.
            return new ConnectFailedException(
                    Kind.CONNECT_FAILED, who + " could not open a tunnel to " + target + " (" + status + ")", cause);
        }
        return new ConnectFailedException(
                Kind.PROXY_REFUSED,
                who + " refused to open a tunnel to " + target + " (" + status
                        + "): the proxy must allow CONNECT to that host and port",
                cause);
    }

    private ConnectFailedException socksFailure(String who, Throwable cause) {
        if (Socks5AuthMethod.UNACCEPTED.equals(socksMethod)) {
            return new ConnectFailedException(
                    Kind.PROXY_AUTH_FAILED,
                    proxy.hasCredentials()
                            ? who + " accepts neither of the authentication methods offered (none, user name and"
                                    + " password)"
                            : who + " requires authentication: give the proxy a user name and password",
                    cause);
        }
        if (socksAuth != null && !socksAuth.status().isSuccess()) {
            return new ConnectFailedException(
                    Kind.PROXY_AUTH_FAILED,
                    who + " refused the user name and password: check the proxy credentials",
                    cause);
        }
        if (socksCommand != null && !socksCommand.isSuccess()) {
            String status = socksStatus(socksCommand);
            if (Socks5CommandStatus.FORBIDDEN.equals(socksCommand)
                    || Socks5CommandStatus.COMMAND_UNSUPPORTED.equals(socksCommand)
                    || Socks5CommandStatus.ADDRESS_UNSUPPORTED.equals(socksCommand)) {
                return new ConnectFailedException(
                        Kind.PROXY_REFUSED,
                        who + " refused to open a tunnel to " + target + " (" + status
                                + "): the proxy must allow CONNECT to that host name and port",
                        cause);
            }
            return new ConnectFailedException(
                    Kind.CONNECT_FAILED, who + " could not reach " + target + " (" + status + ")", cause);
        }
        return null;
    }

    /** A SOCKS5 reply code in words (RFC 1928, section 6). */
    static String socksStatus(Socks5CommandStatus status) {
        int code = status.byteValue() & 0xff;
        String words = switch (code) {
            case 1 -> "general SOCKS server failure";
            case 2 -> "connection not allowed by ruleset";
            case 3 -> "network unreachable";
            case 4 -> "host unreachable";
            case 5 -> "connection refused";
            case 6 -> "TTL expired";
            case 7 -> "command not supported";
            case 8 -> "address type not supported";
            default -> "reply " + code;
        };
        return "SOCKS5 reply " + code + ": " + words;
    }
}
