package org.sip2wa.agent.platform;

import org.sip2wa.agent.protocol.AudioRoute;

/**
 * Everything the agent core needs from the device it runs on. The Android glue implements it with the
 * framework's hidden services; the host implementation behind virtual phones bridges to the simulated
 * WhatsApp. The core never imports android.*, so it is built and tested on any JVM.
 */
public interface Platform {
    /** Read on every `get-info`, so battery and signal are current. Never null. */
    PhoneInfo phoneInfo();

    /** The route decided by the probe at start; fixed for the agent's life. */
    AudioRoute audioRoute();

    WhatsAppControl whatsApp();

    AudioDevice audio();

    Clock clock();

    AgentLog log();

    /** Releases what the platform holds (audio policies, UI automation); called last when the agent stops. */
    void close();
}
