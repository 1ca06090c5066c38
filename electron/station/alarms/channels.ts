/**
 * Where deliveries go: an HTTP webhook (signed POST), an SMTP server, a WhatsApp text from a line's phone.
 * Each channel sends one delivery and says how it went: delivered, failed for now (retried), or failed
 * for good (reported, not retried). A channel never throws.
 *
 * HTTP: 2xx is delivered; 408, 429 and 5xx, a timeout or a refused connection are retried; any other
 * status (4xx, and 3xx since redirects are not followed) is a permanent failure.
 * SMTP: a 5xx reply is permanent; anything else (4xx, no connection, TLS) is retried.
 */
import { readFileSync } from 'node:fs';
import nodemailer from 'nodemailer';
import type { EmailConfig, ReceiverConfig } from '../config/schema';
import { DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, sign } from './signature';

export type SendResult = { ok: true; detail: string } | { ok: false; permanent: boolean; detail: string };

export interface Delivery {
  deliveryId: string;
  body: string;
}

export interface Channel {
  readonly id: string;
  send(d: Delivery): Promise<SendResult>;
}

export function webhookChannel(receiver: ReceiverConfig, timeoutMs: number, clock: () => number = Date.now): Channel {
  return {
    id: receiver.id,
    async send(d) {
      const timestamp = Math.floor(clock() / 1000);
      try {
        const res = await fetch(receiver.url, {
          method: 'POST',
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'user-agent': 'sip2wa-station',
            [TIMESTAMP_HEADER]: String(timestamp),
            [SIGNATURE_HEADER]: sign(receiver.secret, timestamp, d.body),
            [DELIVERY_HEADER]: d.deliveryId,
          },
          body: d.body,
        });
        // The answer's body is not needed; reading it frees the connection.
        await res.arrayBuffer().catch(() => undefined);
        const detail = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
        if (res.status >= 200 && res.status < 300) return { ok: true, detail };
        const retry = res.status === 408 || res.status === 429 || res.status >= 500;
        return { ok: false, permanent: !retry, detail: `${receiver.url} answered ${detail}` };
      } catch (err) {
        const e = err as Error & { cause?: { code?: string; message?: string } };
        const why = e.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : (e.cause?.code ?? e.cause?.message ?? e.message);
        return { ok: false, permanent: false, detail: `${receiver.url}: ${why}` };
      }
    },
  };
}

/** The text of an alarm delivery, for mail and WhatsApp. */
export function alarmText(body: string): { subject: string; text: string } {
  const a = JSON.parse(body) as { type: string; rule?: string; severity?: string; state?: string; line?: string | null; message?: string; time?: string; station?: string; dropped?: number; reason?: string };
  if (a.type === 'dropped') return { subject: `[sip2wa] ${a.dropped} alarms dropped`, text: `${a.reason} (station ${a.station}, ${a.time})` };
  const what = a.state === 'clear' ? 'cleared' : (a.severity ?? '').toUpperCase();
  return {
    subject: `[sip2wa ${what}] ${a.rule}${a.line ? ` on ${a.line}` : ''}`,
    text: `${a.message}\n\nrule ${a.rule}, severity ${a.severity}, ${a.state}, station ${a.station}, ${a.time}`,
  };
}

export function emailChannel(config: EmailConfig, timeoutMs: number): Channel {
  const transport = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.security === 'tls',
    requireTLS: config.security === 'starttls',
    ignoreTLS: config.security === 'none',
    auth: config.user && config.password ? { user: config.user, pass: config.password } : undefined,
    tls: config.caFile ? { ca: readFileSync(config.caFile) } : undefined,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  return {
    id: 'email',
    async send(d) {
      try {
        const { subject, text } = alarmText(d.body);
        const info = await transport.sendMail({ from: config.from, to: config.to, subject, text, headers: { 'X-Sip2wa-Delivery': d.deliveryId } });
        return { ok: true, detail: info.response ?? 'accepted' };
      } catch (err) {
        const e = err as Error & { responseCode?: number; response?: string };
        const detail = `SMTP ${config.host}:${config.port}: ${e.response ?? e.message}`;
        return { ok: false, permanent: !!e.responseCode && e.responseCode >= 500, detail };
      }
    },
  };
}

/** A WhatsApp text from a line's phone; `send` is the line's, false when its phone is not reachable. */
export function whatsappChannel(line: string, to: string, send: (line: string, to: string, text: string) => boolean): Channel {
  return {
    id: 'whatsapp',
    async send(d) {
      const { subject, text } = alarmText(d.body);
      if (send(line, to, `${subject}\n${text}`)) return { ok: true, detail: `sent from line ${line} to ${to}` };
      return { ok: false, permanent: false, detail: `line ${line}'s phone is not reachable` };
    },
  };
}
