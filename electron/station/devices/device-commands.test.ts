import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureAgentBuilt } from '../../../phone-agent/android/link-check/build';
import { DEFAULT_ARTIFACTS, agentArtifactFor, type AgentArtifacts } from './device-commands';
import type { DeviceProps } from './device-state';

const phone: DeviceProps = { serialNo: 'R58M123', manufacturer: 'samsung', model: 'SM-A515F', androidVersion: '14', sdk: 34, virtual: false };

describe('the agent build pushed to a phone', () => {
  let dir: string | null = null;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = null;
  });

  function artifacts(withAndroidJar: boolean): AgentArtifacts {
    dir = mkdtempSync(join(tmpdir(), 'sip2wa-artifacts-'));
    const a = { android: join(dir, 'sip2wa-agent.jar'), virtual: join(dir, 'virtual-agent.jar') };
    writeFileSync(a.virtual, 'virtual');
    if (withAndroidJar) writeFileSync(a.android, 'dex');
    return a;
  }

  it('is the Android jar for a real phone and the simulator’s for a virtual one', () => {
    const a = artifacts(true);
    expect(agentArtifactFor(phone, a)).toBe(a.android);
    expect(agentArtifactFor({ ...phone, virtual: true }, a)).toBe(a.virtual);
  });

  it('names the command that builds it when a checkout skipped the build', () => {
    const a = artifacts(false);
    expect(() => agentArtifactFor(phone, a)).toThrow(`agent not built: ${a.android} is missing; run npm run build:agent`);
  });

  it('is, by default, the dex jar npm run build:agent builds', () => {
    ensureAgentBuilt();
    const jar = readFileSync(agentArtifactFor(phone, DEFAULT_ARTIFACTS));
    // a zip whose only entry is classes.dex: what app_process loads from CLASSPATH
    expect(jar.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(jar.includes(Buffer.from('classes.dex'))).toBe(true);
    expect(jar.includes(Buffer.from('.class'))).toBe(false);
  }, 300_000);
});
