package io.aapns.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which of a host's addresses a connect goes to. */
class AddressRotationTest {

    @Test
    void onlyTheFamilyTheLookupPutFirstTakesTurns() throws Exception {
        InetAddress[] mixed = {
            InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1"), InetAddress.getByName("127.0.0.2")
        };
        List<InetAddress> firsts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            List<InetAddress> turn = AddressRotation.nextTurn("mixed.test", mixed);
            assertThat(turn).hasSize(2).allMatch(a -> a instanceof Inet4Address);
            firsts.add(turn.get(0));
        }
        assertThat(firsts.get(0)).isNotEqualTo(firsts.get(1));
        assertThat(firsts.get(2)).isEqualTo(firsts.get(0));
        assertThat(firsts.get(3)).isEqualTo(firsts.get(1));
    }

    @Test
    void hostNamesDifferingInCaseShareTheirTurn() throws Exception {
        InetAddress[] two = {InetAddress.getByName("127.0.0.1"), InetAddress.getByName("127.0.0.2")};
        InetAddress first = AddressRotation.nextTurn("Case.test", two).get(0);
        assertThat(AddressRotation.nextTurn("case.TEST", two).get(0)).isNotEqualTo(first);
    }
}
