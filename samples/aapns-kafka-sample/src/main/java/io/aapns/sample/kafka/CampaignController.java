package io.aapns.sample.kafka;

import io.aapns.kafka.ApnsKafkaPublisher;
import io.aapns.kafka.ApnsKafkaWorker;
import io.aapns.kafka.PushOutcome.Kind;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Campaigns and their results:
 *
 * <ul>
 *   <li>{@code POST /campaigns} {@code {"count": 100000, "title": "...", "body": "..."}} publishes {@code count} push
 *       requests (at most 1 000 000) to distinct generated device tokens, and answers once Kafka has them all with the
 *       campaign's id (the tokens' first 48 hex digits), how many were published, and how long it took;
 *   <li>{@code GET /campaigns/results} counts the outcomes in the results topic so far (accepted, rejected, failed),
 *       the notifications the embedded mock APNs server accepted (null when there is none), and the worker's state.
 * </ul>
 */
@RestController
class CampaignController {

    static final int MAX_COUNT = 1_000_000;

    private final ApnsKafkaPublisher publisher;
    private final OutcomeCounter outcomes;
    private final MockApnsTally mock;
    private final ObjectProvider<ApnsKafkaWorker> worker;

    CampaignController(
            ApnsKafkaPublisher publisher,
            OutcomeCounter outcomes,
            MockApnsTally mock,
            ObjectProvider<ApnsKafkaWorker> worker) {
        this.publisher = publisher;
        this.outcomes = outcomes;
        this.mock = mock;
        this.worker = worker;
    }

    /** What a client posts. */
    record CampaignBody(Integer count, String title, String body) {}

    /** A published campaign. */
    record Published(String campaign, int published, long millis, long perSecond) {}

    /** The worker's state: records held, notifications in flight now and at most, times the container paused. */
    record WorkerState(int held, int inFlight, int highestInFlight, long pauses) {}

    /** What the results topic and the mock say so far. */
    record Results(long accepted, long rejected, long failed, long total, Long mockAccepted, WorkerState worker) {}

    @PostMapping("/campaigns")
    CompletableFuture<Published> publish(@RequestBody CampaignBody body) {
        if (body.count() == null || body.count() < 1 || body.count() > MAX_COUNT) {
            throw new IllegalArgumentException("count must be from 1 to " + MAX_COUNT);
        }
        int count = body.count();
        Campaign campaign = new Campaign(count);
        String title = body.title() != null ? body.title() : "Hello";
        long start = System.nanoTime();
        return campaign.publish(publisher, PushController.alert(title, body.body()))
                .thenApply(done -> {
                    long nanos = Math.max(1, System.nanoTime() - start);
                    return new Published(
                            campaign.id(),
                            count,
                            TimeUnit.NANOSECONDS.toMillis(nanos),
                            count * TimeUnit.SECONDS.toNanos(1) / nanos);
                });
    }

    @GetMapping("/campaigns/results")
    Results results() {
        long accepted = outcomes.count(Kind.ACCEPTED);
        long rejected = outcomes.count(Kind.REJECTED);
        long failed = outcomes.count(Kind.FAILED);
        ApnsKafkaWorker w = worker.getIfAvailable();
        return new Results(
                accepted,
                rejected,
                failed,
                accepted + rejected + failed,
                mock.accepted(),
                w == null ? null : new WorkerState(w.held(), w.inFlight(), w.highestInFlight(), w.pauses()));
    }
}
