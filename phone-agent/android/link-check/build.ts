/** The built agent jar, built (incrementally) by the same script `npm run build:agent` runs. */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const AGENT_DIR = fileURLToPath(new URL('..', import.meta.url));
export const AGENT_JAR = fileURLToPath(new URL('../build/sip2wa-agent.jar', import.meta.url));
export const BUILD_SCRIPT = fileURLToPath(new URL('../scripts/build-dex.sh', import.meta.url));

/** Builds the jar when a source is newer than it (a no-op otherwise); throws with the build's message. */
export function ensureAgentBuilt(): void {
  try {
    execFileSync('bash', [BUILD_SCRIPT], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    throw new Error(`npm run build:agent failed: ${(e.stderr || e.stdout || e.message).trim()}`);
  }
}
