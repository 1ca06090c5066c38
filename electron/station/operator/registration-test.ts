/**
 * The settings page's "Test registration": checks a PBX (and optionally one line's account) from the
 * draft before it is saved, one test at a time so an operator's repeated clicks cannot flood the PBX
 * (or trip its fail2ban) with REGISTERs. Running lines are not touched: the probe has its own user
 * agent and socket (sip/registration-probe.ts).
 */
import type { StationConfig } from '../config/schema';
import { probeDraft } from '../config/settings';
import type { ProbeResult } from '../sip/probe-outcome';
import { probeRegistration, type ProbeRequest } from '../sip/registration-probe';
import { createLogger } from '../util/log';

export interface RegistrationTestParams {
  pbx: unknown;
  line?: unknown;
  timeoutS: number;
}

export class RegistrationTest {
  private running: string | null = null;
  private readonly log = createLogger('registration-test');

  constructor(
    private readonly config: () => StationConfig,
    private readonly probe: (req: ProbeRequest) => Promise<ProbeResult> = probeRegistration,
  ) {}

  async run(params: RegistrationTestParams): Promise<ProbeResult> {
    const draft = probeDraft(params.pbx, params.line, this.config());
    const what = `${draft.line ? `extension ${draft.line.user} on ` : ''}${draft.pbx.host}`;
    if (this.running) throw new Error(`a registration test (${this.running}) is still running; one test at a time`);
    this.running = what;
    try {
      const result = await this.probe({ pbx: draft.pbx, line: draft.line, timeoutMs: params.timeoutS * 1000 });
      this.log.info(`registration test of ${what}: ${result.outcome}${result.code ? ` (${result.code})` : ''}`);
      return result;
    } finally {
      this.running = null;
    }
  }
}
