package org.sip2wa.agent.android.info;

import android.content.Context;
import android.net.ConnectivityManager;
import android.net.Network;
import android.net.NetworkCapabilities;
import android.os.Build;
import android.telephony.SignalStrength;
import android.telephony.TelephonyManager;

import java.io.IOException;

import org.sip2wa.agent.android.system.ShellCommands;
import org.sip2wa.agent.android.whatsapp.WhatsAppPackage;
import org.sip2wa.agent.platform.PhoneInfo;
import org.sip2wa.agent.protocol.NetworkType;

/**
 * The phone's half of `info`: Build fields, WhatsApp's version, the battery (`dumpsys battery`), the active
 * network's transport and the cellular signal level. The phone's own WhatsApp number cannot be read
 * without root, so `account` is "" (a line's configuration may name it).
 */
public final class PhoneInfoReader {
    private final Context context;
    private final WhatsAppPackage whatsapp;
    private final ShellCommands shell;

    public PhoneInfoReader(Context context, WhatsAppPackage whatsapp, ShellCommands shell) {
        this.context = context;
        this.whatsapp = whatsapp;
        this.shell = shell;
    }

    public PhoneInfo read() {
        BatteryDump battery = battery();
        return new PhoneInfo("", whatsapp.version(), Build.VERSION.RELEASE, Build.VERSION.SDK_INT, Build.MANUFACTURER,
                Build.MODEL, battery.level < 0 ? PhoneInfo.UNKNOWN_LEVEL : battery.level, battery.charging,
                battery.temperatureDeciC, network(), signal());
    }

    private BatteryDump battery() {
        try {
            return BatteryDump.parse(shell.run("dumpsys", "battery").output);
        } catch (IOException e) {
            return BatteryDump.parse("");
        }
    }

    private NetworkType network() {
        try {
            ConnectivityManager cm = (ConnectivityManager) context.getSystemService(Context.CONNECTIVITY_SERVICE);
            Network n = cm == null ? null : cm.getActiveNetwork();
            if (n == null) return NetworkType.NONE;
            NetworkCapabilities caps = cm.getNetworkCapabilities(n);
            if (caps == null) return NetworkType.UNKNOWN;
            if (caps.hasTransport(NetworkCapabilities.TRANSPORT_WIFI)) return NetworkType.WIFI;
            if (caps.hasTransport(NetworkCapabilities.TRANSPORT_CELLULAR)) return NetworkType.CELLULAR;
            if (caps.hasTransport(NetworkCapabilities.TRANSPORT_ETHERNET)) return NetworkType.ETHERNET;
            return NetworkType.UNKNOWN;
        } catch (RuntimeException e) {
            return NetworkType.UNKNOWN;
        }
    }

    private int signal() {
        try {
            TelephonyManager tm = (TelephonyManager) context.getSystemService(Context.TELEPHONY_SERVICE);
            SignalStrength s = tm == null ? null : tm.getSignalStrength();
            return s == null ? PhoneInfo.UNKNOWN_LEVEL : s.getLevel();
        } catch (RuntimeException e) {
            return PhoneInfo.UNKNOWN_LEVEL;
        }
    }
}
