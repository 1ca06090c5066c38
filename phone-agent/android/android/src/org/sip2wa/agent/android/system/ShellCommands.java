package org.sip2wa.agent.android.system;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The phone's own command-line tools (pm, am, dumpsys, input), run as the agent's user. They are the
 * supported way for shell to grant a runtime permission, start an activity from outside an app, read the
 * battery and inject a key, so the glue uses them instead of hidden binder calls where they exist.
 */
public final class ShellCommands {
    /** What a command printed (stdout and stderr together) and how it exited. */
    public static final class Result {
        public final int exitCode;
        public final String output;

        Result(int exitCode, String output) {
            this.exitCode = exitCode;
            this.output = output;
        }

        public boolean ok() {
            return exitCode == 0;
        }
    }

    private final long timeoutMillis;

    public ShellCommands(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    /** Runs argv (no shell, so no quoting issues); a command that outlives the timeout is killed. */
    public Result run(String... argv) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        Process p = pb.start();
        p.getOutputStream().close();
        Reader reader = new Reader(p.getInputStream());
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        try {
            while (true) {
                try {
                    int code = p.exitValue();
                    reader.join(timeoutMillis);
                    return new Result(code, reader.text());
                } catch (IllegalThreadStateException running) {
                    if (System.nanoTime() > deadline) {
                        p.destroy();
                        throw new IOException(Arrays.toString(argv) + " did not finish within " + timeoutMillis + " ms");
                    }
                    Thread.sleep(20);
                }
            }
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new IOException(Arrays.toString(argv) + " interrupted");
        }
    }

    /** Drains the output so a chatty command never blocks on a full pipe. */
    private static final class Reader extends Thread {
        private final InputStream in;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Reader(InputStream in) {
            super("sip2wa-shell-output");
            setDaemon(true);
            this.in = in;
        }

        @Override
        public void run() {
            byte[] buf = new byte[4096];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    synchronized (out) {
                        out.write(buf, 0, n);
                    }
                }
            } catch (IOException e) {
                // the process ended; what was read is the output
            }
        }

        String text() {
            synchronized (out) {
                try {
                    return out.toString("UTF-8");
                } catch (java.io.UnsupportedEncodingException e) {
                    return out.toString();
                }
            }
        }
    }
}
