/**
 * A whole configuration as settings.get returns it (every default filled in, passwords masked). The
 * schema module cannot load in a jsdom test (it resolves prompt files from import.meta.url), so the
 * document is written out; its type is the schema's, so the compiler keeps it complete.
 */
import type { StationConfig } from '../../../electron/station/config/schema';

export const MASK = '********';

export function configFixture(patch: Partial<StationConfig> = {}): StationConfig {
  return {
    version: 1,
    pbx: [{ id: 'office', host: 'pbx.example.com', port: 5060, transport: 'udp', keepaliveSeconds: 25, registerExpires: 300 }],
    lines: [{ id: 'wa1', serial: 'SERWA1', pbx: 'office', user: '2001', password: MASK, codecs: ['G722', 'PCMU', 'PCMA'], enabled: true }],
    media: { bindAddress: '0.0.0.0', rtpPortMin: 20000, rtpPortMax: 20999, rtpTimeoutS: 0 },
    routing: {
      destinationOrder: ['display-name', 'caller-id', 'prefix', 'dtmf'],
      prefixes: [],
      testPrefix: '00123',
      echoTest: 'local',
      offlineTimeoutS: 18,
      dtmf: { firstDigitTimeoutS: 10, interDigitTimeoutS: 5, attempts: 3 },
      hunting: true,
    },
    messages: { forward: [] },
    prompts: {},
    callLog: { retentionDays: 365 },
    alarms: { enabled: true, rules: {} },
    webhooks: { receivers: [], queueLimit: 10_000, timeoutS: 10, retryInitialS: 5, retryMaxS: 600 },
    desktop: { startAtLogin: false },
    recording: { enabled: false, lines: [], groups: [], format: 'wav', retentionDays: 90, maxTotalMb: 10240, folder: 'recordings' },
    policy: {
      timezoneOffsetMinutes: null,
      oneCallPerLine: { enabled: true },
      earlyHangup: { enabled: true, maxPerDay: 2 },
      offlineRepeat: { enabled: true, maxOffline: 2, windowHours: 24 },
      notOnWhatsapp: { enabled: true, rememberDays: 30 },
      uniquePerHour: { enabled: true, max: 20 },
      uniquePerDay: { enabled: true, max: 100 },
      pauseBetweenCalls: { enabled: true, seconds: 10 },
      maxDuration: { enabled: false, seconds: 3600 },
      dedicated: { enabled: false },
      lockAfter: { enabled: false, failed: 3, unanswered: 5, short: 5, shortSeconds: 10, pauseMinutes: 30 },
      destinationPatterns: { enabled: true, allow: [], deny: [] },
      lines: {},
    },
    guard: { enabled: true, maxTemperatureC: 45, temperatureHysteresisC: 3, minBatteryPercent: 15, batteryHysteresisPercent: 5 },
    ...patch,
  };
}
