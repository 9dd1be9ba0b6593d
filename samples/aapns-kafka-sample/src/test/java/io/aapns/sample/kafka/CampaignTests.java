package io.aapns.sample.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A campaign's device tokens: 64 hex digits, the campaign's id first, all distinct, and different per campaign. */
class CampaignTests {

    @Test
    void tokensAreDistinctHexAndStartWithTheCampaignsId() {
        Campaign campaign = new Campaign(10_000);
        Set<String> tokens = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String token = campaign.token(i);
            assertThat(token).hasSize(64).matches("[0-9a-f]+").startsWith(campaign.id());
            tokens.add(token);
        }
        assertThat(tokens).hasSize(10_000);
        assertThat(new Campaign(1).token(0)).isNotEqualTo(campaign.token(0));
    }
}
