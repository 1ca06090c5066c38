package org.sip2wa.agent.server;

import static org.junit.Assert.assertEquals;

import org.junit.Rule;
import org.junit.Test;
import org.sip2wa.agent.protocol.AccountState;
import org.sip2wa.agent.protocol.Message;
import org.sip2wa.agent.protocol.MessageType;
import org.sip2wa.agent.support.AgentFixture;
import org.sip2wa.agent.support.StationClient;

/** The account's health in `info` (PROTOCOL.md, "Account state"): asked for, and sent unasked on a change. */
public class AccountStateTest {
    @Rule
    public final AgentFixture fixture = new AgentFixture();

    @Test
    public void infoCarriesTheAccountStateThePlatformReads() throws Exception {
        fixture.platform.accountState = AccountState.NOT_INSTALLED;
        StationClient s = fixture.control();
        s.send(Message.of(MessageType.GET_INFO));
        assertEquals(AccountState.NOT_INSTALLED, s.next(MessageType.INFO).getEnum("accountState"));
        s.close();
    }

    @Test
    public void aBanReachesTheStationWithoutItAsking() throws Exception {
        StationClient s = fixture.control();
        s.send(Message.of(MessageType.GET_INFO));
        assertEquals(AccountState.REGISTERED, s.next(MessageType.INFO).getEnum("accountState"));
        fixture.platform.accountState = AccountState.BANNED;
        fixture.platform.listener().accountStateChanged(AccountState.BANNED);
        assertEquals(AccountState.BANNED, s.next(MessageType.INFO).getEnum("accountState"));
        fixture.platform.accountState = AccountState.REGISTERED;
        fixture.platform.listener().accountStateChanged(AccountState.REGISTERED);
        assertEquals(AccountState.REGISTERED, s.next(MessageType.INFO).getEnum("accountState"));
        s.close();
    }
}
