package org.sip2wa.agent.support;

import org.junit.rules.ExternalResource;
import org.sip2wa.agent.host.TcpConnectionSource;
import org.sip2wa.agent.protocol.Channel;
import org.sip2wa.agent.server.Agent;

/** A JUnit rule: a started agent on a fake platform, listening on a loopback port; stopped after the test. */
public final class AgentFixture extends ExternalResource {
    public final FakePlatform platform = new FakePlatform();
    public Agent agent;
    private TcpConnectionSource source;

    @Override
    protected void before() throws Throwable {
        source = new TcpConnectionSource();
        agent = Agent.builder(platform, source).software("sip2wa-agent/test").build();
        agent.start();
    }

    @Override
    protected void after() {
        agent.stop();
    }

    public int port() {
        return source.port();
    }

    public StationClient control() throws Exception {
        return StationClient.open(port(), Channel.CONTROL);
    }

    public StationClient audio() throws Exception {
        return StationClient.open(port(), Channel.AUDIO);
    }
}
