/**
 * The station's lines: one per configured SIP account, plus one per phone that no line claims (shown
 * with registration `disabled` and the reason, so a newly plugged phone is visible before it is
 * configured, and can be test-dialled). The registry builds them from the configuration, adds a phone's
 * line when adb lists the phone, rebuilds them on a settings save, and hands each PBX user's call to the
 * phone that carries it.
 *
 * A PBX user's INVITE takes one way down: the line's SIP account (sip/) -> the line -> the call flow
 * (calls/sip-to-whatsapp.ts), which asks the phone picker given here (hunting.ts) for a phone and dials
 * through that phone's agent port (devices/).
 */
import type { Invitation } from 'sip.js';
import type { LineView } from '../api/types';
import type { Call } from '../calls/call';
import { handleOutbound, type OutboundDeps } from '../calls/sip-to-whatsapp';
import type { StationConfig } from '../config/schema';
import type { DeviceManager } from '../devices/device-manager';
import type { MediaEngine } from '../media/media-engine';
import type { PromptLibrary } from '../media/prompt-player';
import type { PolicyEngine } from '../policy/policy-engine';
import { Emitter } from '../util/emitter';
import { huntedCallLog, pickPhone } from './hunting';
import { Line, type LineDeps } from './line';

export interface LineRegistryDeps {
  devices: DeviceManager;
  media: MediaEngine;
  policy: PolicyEngine;
  /** The configuration in force (a settings save replaces it). */
  config(): StationConfig;
  /** The prompts in force (a settings save replaces them). */
  prompts(): PromptLibrary;
  /** How long a line stays registered after its phone went (default 10 s). */
  unregisterGraceMs?: number;
}

export type LineRegistryEvents = {
  /** A line, its phone or its call changed. */
  change: [];
  /** A line was built; its listeners run before it starts. */
  added: [Line];
  /** The set of lines changed (built, rebuilt, or a phone's line added). */
  lines: [];
  /** A call started: a PBX user's (with the line the PBX called) or a WhatsApp caller's. */
  call: [Call, Line];
};

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The grid's order: lines with a SIP account by id, then the phones no account claims. */
export function gridOrder(lines: readonly Line[]): LineView[] {
  const byId = (a: LineView, b: LineView): number => a.id.localeCompare(b.id, 'en', { numeric: true });
  const views = lines.map((l) => ({ sip: l.hasSip, view: l.view() }));
  return [...views.filter((v) => v.sip).map((v) => v.view).sort(byId), ...views.filter((v) => !v.sip).map((v) => v.view).sort(byId)];
}

export class LineRegistry extends Emitter<LineRegistryEvents> {
  private list: Line[] = [];
  private stopping = false;
  private offAdded: (() => void) | null = null;

  constructor(private readonly deps: LineRegistryDeps) {
    super();
  }

  /** Builds the configuration's lines and, from now on, a line for each phone adb lists that none claims. */
  start(): void {
    this.build();
    this.offAdded = this.deps.devices.on('added', () => this.addSpareLines());
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.offAdded?.();
    await Promise.all(this.list.map((l) => l.stop()));
  }

  get lines(): readonly Line[] {
    return this.list;
  }

  line(id: string): Line | undefined {
    return this.list.find((l) => l.config.id === id);
  }

  /** Every line's view, in the grid's order. */
  views(): LineView[] {
    return gridOrder(this.list);
  }

  /**
   * Applies an edited configuration: lines whose account, PBX and media settings are unchanged keep
   * running (and their calls); the others are stopped and built again once `commit` has put the new
   * configuration in force. Refused before `commit`, changing nothing, when a line that would be
   * rebuilt carries a call. Returns the ids of the lines that were stopped.
   */
  async rebuild(next: StationConfig, commit: () => Promise<void>): Promise<string[]> {
    const media = this.deps.config().media;
    const unchanged = (l: Line): boolean => {
      const cfg = next.lines.find((c) => c.id === l.config.id);
      return !!cfg && same(cfg, l.config) && same(next.pbx.find((p) => p.id === cfg.pbx), l.pbx) && same(next.media, media);
    };
    const keep = this.list.filter((l) => l.hasSip && unchanged(l));
    // A phone's own line goes too when the new configuration gives the phone an account.
    const drop = this.list.filter((l) => !keep.includes(l) && (l.hasSip || next.lines.some((c) => c.serial === l.config.serial)));
    const busy = drop.find((l) => l.busy);
    if (busy) throw new Error(`line ${busy.config.id} is in a call and would be rebuilt: save again when the call has ended`);
    await commit();
    await Promise.all(drop.map((l) => l.stop()));
    this.build([...keep, ...this.list.filter((l) => !l.hasSip && !drop.includes(l))]);
    return drop.map((l) => l.config.id);
  }

  /** Lines for the configuration: one per SIP account (those in `keep` as they are), plus the phones' own. */
  private build(keep: readonly Line[] = []): void {
    const config = this.deps.config();
    const pbxById = new Map(config.pbx.map((p) => [p.id, p]));
    const kept = new Map(keep.map((l) => [l.config.id, l]));
    const configured = config.lines.map((cfg) => kept.get(cfg.id) ?? this.startLine(new Line(cfg, pbxById.get(cfg.pbx)!, this.lineDeps())));
    this.list = [...configured, ...keep.filter((l) => !l.hasSip)];
    this.addSpareLines();
  }

  private addSpareLines(): void {
    if (this.stopping) return;
    const claimed = new Set(this.list.map((l) => l.config.serial));
    for (const d of this.deps.devices.devices) {
      if (!claimed.has(d.serial)) this.list.push(this.startLine(Line.sipless(d.serial, this.lineDeps())));
    }
    this.emit('lines');
    this.emit('change');
  }

  private startLine(line: Line): Line {
    line.on('change', () => this.emit('change'));
    this.emit('added', line);
    line.start();
    return line;
  }

  private lineDeps(): LineDeps {
    const config = this.deps.config;
    return {
      devices: this.deps.devices,
      media: this.deps.media,
      mediaConfig: config().media,
      unregisterGraceMs: this.deps.unregisterGraceMs,
      onInvite: (line, invitation) => this.outbound(line, invitation),
      onCall: (line, call) => this.emit('call', call, line),
      get noPbxReason() {
        return config().pbx.length === 0 ? 'no PBX configured: open Settings to connect one' : 'no SIP account configured for this phone';
      },
      get guard() {
        return config().guard;
      },
    };
  }

  /** A PBX user's call arrived on a line: the call flow routes it, and the phone is picked here. */
  private outbound(sipLine: Line, invitation: Invitation): void {
    const { log, carriedBy } = huntedCallLog(sipLine.config.id);
    const config = this.deps.config();
    const pick: OutboundDeps['pickPhone'] = (call, req) => {
      // Hunting as configured when the phone is picked (after DTMF collection, maybe a save later).
      const picked = pickPhone(this.list, sipLine, this.deps.policy, this.deps.config().routing.hunting, req);
      if ('refused' in picked) return picked;
      carriedBy(picked.line.config.id);
      picked.line.assignCall(call);
      return picked;
    };
    const started = (call: Call): void => this.emit('call', call, sipLine);
    const rtpTimeoutS = config.media.rtpTimeoutS;
    handleOutbound({ rules: config.routing, prompts: this.deps.prompts(), log, pickPhone: pick, started, rtpTimeoutS }, { id: sipLine.config.id, user: sipLine.config.user, codecs: sipLine.config.codecs }, invitation);
  }
}
