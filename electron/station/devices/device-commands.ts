/**
 * What the station asks of a phone over adb: its properties, and installing, starting and stopping the
 * agent the way scrcpy starts its server (push a jar, run it with `app_process`). Every command has a
 * timeout, so a phone that adb lists but that no longer answers (a ghost) fails clearly instead of
 * hanging its supervisor.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Client } from './adbkit';
import type { DeviceProps } from './device-state';

/** The abstract socket the agent listens on (`adb forward tcp:N localabstract:sip2wa_agent`). */
export const AGENT_SOCKET = 'sip2wa_agent';
export const AGENT_REMOTE_PATH = '/data/local/tmp/sip2wa-agent.jar';
export const AGENT_MAIN_CLASS = 'org.sip2wa.agent.Main';

const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Where the agent builds live: the Android build for real phones, the simulator's for virtual ones. */
export interface AgentArtifacts {
  android: string;
  virtual: string;
}

export const DEFAULT_ARTIFACTS: AgentArtifacts = {
  android: `${PROJECT_ROOT}phone-agent/android/build/sip2wa-agent.jar`,
  virtual: `${PROJECT_ROOT}phone-agent/simulator/virtual-agent.jar`,
};

export class DeviceCommandError extends Error {
  constructor(
    readonly serial: string,
    message: string,
  ) {
    super(message);
    this.name = 'DeviceCommandError';
  }
}

/** Runs a shell command and returns its output; rejects when the phone does not answer in time. */
export async function shell(client: Client, serial: string, command: string, timeoutMs = 5_000): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new DeviceCommandError(serial, `the phone did not answer '${command.split(' ')[0]}' within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  const work = (async () => {
    const stream = await client.getDevice(serial).shell(command);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  })();
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
    work.catch(() => undefined);
  }
}

/** Parses `getprop` output (`[key]: [value]` per line). */
export function parseGetprop(output: string): Map<string, string> {
  const props = new Map<string, string>();
  for (const line of output.split('\n')) {
    const m = /^\[([^\]]+)\]:\s*\[(.*)\]\s*$/.exec(line.trim());
    if (m) props.set(m[1]!, m[2]!);
  }
  return props;
}

export async function readProps(client: Client, serial: string): Promise<DeviceProps> {
  const props = parseGetprop(await shell(client, serial, 'getprop'));
  if (props.size === 0) throw new DeviceCommandError(serial, 'getprop returned no properties');
  return {
    serialNo: props.get('ro.serialno') ?? serial,
    manufacturer: props.get('ro.product.manufacturer') ?? '',
    model: props.get('ro.product.model') ?? '',
    androidVersion: props.get('ro.build.version.release') ?? '',
    sdk: Number(props.get('ro.build.version.sdk') ?? 0),
    virtual: props.get('ro.sip2wa.virtual') === '1',
  };
}

/** The agent build for this phone, or an error that tells the operator how to get one. */
export function agentArtifactFor(props: DeviceProps, artifacts: AgentArtifacts): string {
  const path = props.virtual ? artifacts.virtual : artifacts.android;
  if (existsSync(path)) return path;
  if (props.virtual) throw new Error(`virtual agent build missing at ${path}`);
  return notBuilt(path);
}

/** Only a checkout where the agent's build was skipped gets here: scripts/setup.sh builds it. */
function notBuilt(path: string): never {
  throw new Error(`agent not built: ${path} is missing; run npm run build:agent (no Android SDK needed)`);
}

export async function pushAgent(client: Client, serial: string, localPath: string): Promise<void> {
  const transfer = await client.getDevice(serial).push(localPath, AGENT_REMOTE_PATH, 0o644);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new DeviceCommandError(serial, 'pushing the agent took longer than 30 s')), 30_000);
    transfer.on('end', () => {
      clearTimeout(timer);
      resolve();
    });
    transfer.on('error', (err: Error) => {
      clearTimeout(timer);
      reject(new DeviceCommandError(serial, `pushing the agent failed: ${err.message}`));
    });
  });
}

/**
 * Starts the agent detached from the adb shell, so it outlives the adb server (a call survives
 * `adb kill-server`; the station only has to forward again).
 */
export async function startAgent(client: Client, serial: string): Promise<void> {
  const out = await shell(
    client,
    serial,
    `CLASSPATH=${AGENT_REMOTE_PATH} nohup app_process / ${AGENT_MAIN_CLASS} --socket ${AGENT_SOCKET} --daemon >/dev/null 2>&1 &`,
  );
  if (/error|exception|not found/i.test(out)) throw new DeviceCommandError(serial, `the agent did not start: ${out.trim()}`);
}

export async function stopAgent(client: Client, serial: string): Promise<void> {
  await shell(client, serial, `pkill -f ${AGENT_MAIN_CLASS}`);
}
