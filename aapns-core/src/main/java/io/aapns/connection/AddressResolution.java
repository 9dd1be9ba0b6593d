package io.aapns.connection;

import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.InetNameResolver;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * How one connect turns its host name into an address: the blocking {@link HostLookup} runs on the
 * {@link LookupThreads}, never on the event loop that asks; the answer comes back on that loop; successive lookups of a
 * host take its addresses in turn ({@link AddressRotation}). A lookup is made at every connect (no cache beyond the
 * JDK's own) and fails the connect when it has not answered within the connect timeout. An address literal is parsed,
 * not looked up.
 *
 * <p>One instance per connect: {@link #getResolver} makes a new, stateless resolver each time instead of caching one
 * per event loop (which would register a listener on the loop per group).
 */
final class AddressResolution extends AddressResolverGroup<InetSocketAddress> {
    private final HostLookup lookup;
    private final long timeoutNanos;

    /** Resolves with {@code lookup}, failing a lookup that has not answered after {@code timeout}. */
    AddressResolution(HostLookup lookup, Duration timeout) {
        this.lookup = lookup;
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public AddressResolver<InetSocketAddress> getResolver(EventExecutor executor) {
        return newResolver(executor);
    }

    @Override
    protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
        return new OffLoopResolver(executor).asAddressResolver();
    }

    /** A name resolver whose answers complete on {@code executor} and whose lookups run elsewhere. */
    private final class OffLoopResolver extends InetNameResolver {
        OffLoopResolver(EventExecutor executor) {
            super(executor);
        }

        @Override
        protected void doResolve(String host, Promise<InetAddress> promise) {
            InetAddress literal = NetUtil.createInetAddressFromIpAddressString(host);
            if (literal != null) {
                promise.setSuccess(literal);
                return;
            }
            lookUp(
                    host,
                    promise,
                    addresses -> AddressRotation.nextTurn(host, addresses).get(0));
        }

        @Override
        protected void doResolveAll(String host, Promise<List<InetAddress>> promise) {
            InetAddress literal = NetUtil.createInetAddressFromIpAddressString(host);
            if (literal != null) {
                promise.setSuccess(List.of(literal));
                return;
            }
            lookUp(host, promise, addresses -> AddressRotation.nextTurn(host, addresses));
        }

        private <T> void lookUp(String host, Promise<T> promise, Function<InetAddress[], T> answer) {
            ScheduledFuture<?> timer = executor()
                    .schedule(
                            () -> promise.tryFailure(new UnknownHostException("cannot resolve " + host
                                    + ": the lookup did not answer within "
                                    + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms (the connect timeout)")),
                            timeoutNanos,
                            TimeUnit.NANOSECONDS);
            Future<?> task;
            try {
                task = LookupThreads.submit(() -> run(host, promise, answer));
            } catch (RejectedExecutionException e) {
                timer.cancel(false);
                promise.tryFailure(new UnknownHostException("cannot resolve " + host + ": "
                        + LookupThreads.MAX_WAITING + " lookups are already waiting for the "
                        + LookupThreads.THREADS + " lookup threads; the DNS or hosts file is not answering"));
                return;
            }
            promise.addListener(done -> {
                timer.cancel(false);
                task.cancel(false);
            });
        }

        private <T> void run(String host, Promise<T> promise, Function<InetAddress[], T> answer) {
            if (promise.isDone()) {
                return;
            }
            try {
                InetAddress[] addresses = lookup.lookup(host);
                if (addresses == null || addresses.length == 0) {
                    throw new UnknownHostException(host + ": the lookup returned no address");
                }
                promise.trySuccess(answer.apply(addresses));
            } catch (UnknownHostException e) {
                UnknownHostException unknown = new UnknownHostException("cannot resolve " + host + " (" + e.getMessage()
                        + "): check the host name and this machine's DNS and hosts file");
                unknown.initCause(e);
                promise.tryFailure(unknown);
            } catch (Throwable t) {
                UnknownHostException failed =
                        new UnknownHostException("cannot resolve " + host + ": the lookup failed with " + t);
                failed.initCause(t);
                promise.tryFailure(failed);
            }
        }
    }
}
