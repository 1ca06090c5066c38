/**
 * A real kamailio registrar for interop tests: renders test/interop/kamailio.cfg.template with a free
 * port and per-user passwords, checks it (`kamailio -c`), runs it in the foreground (`-DD -E`) and stops
 * it by pid. `contacts()` reads the location table over kamailio's control socket (kamcmd).
 * Digest options render variants of the challenge (auth module 5.6: `algorithm` is "MD5" or "SHA-256",
 * and pv_auth_check hashes the plain-text password with it); `credentialsSeen()` reads the
 * Authorization / Proxy-Authorization values the config logs for every request that carries one.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freeSipPort } from './sip-port';
import { waitFor } from './wait';

const run = promisify(execFile);
const TEMPLATE = new URL('../interop/kamailio.cfg.template', import.meta.url);

export interface KamailioOptions {
  /** user -> password */
  users: Record<string, string>;
  address?: string;
  port?: number;
  /** Digest algorithm of the challenges (and of the check); default MD5. */
  digestAlgorithm?: 'MD5' | 'SHA-256';
  /** Challenges carry qop="auth" (default: no qop, RFC 2069 style). */
  qop?: boolean;
  /**
   * With SHA-256: each 401 carries the SHA-256 challenge then a second, MD5 one (RFC 8760 order). An
   * MD5 answer is refused (kamailio checks with SHA-256 only), so registering proves the choice.
   */
  alsoOfferMd5?: boolean;
  /** INVITEs are challenged (407) and checked against the auth user's password before routing. */
  challengeInvites?: boolean;
  /** The user that dialled prefixes (00111..., 00123..., 00222...) are routed to, keeping To; default 2001. */
  prefixLine?: string;
}

/** The auth parts of the config for these options: AUTH_PARAMS, CHALLENGE and INVITE_AUTH. */
function authParts(o: KamailioOptions): Record<string, string> {
  const flags = o.qop ? '1' : '0';
  const params = o.digestAlgorithm ? [`modparam("auth", "algorithm", "${o.digestAlgorithm}")`] : [];
  if (o.alsoOfferMd5 && o.digestAlgorithm !== 'SHA-256') throw new Error('alsoOfferMd5 needs digestAlgorithm SHA-256');
  const challenge = o.alsoOfferMd5
    ? [
        `\tauth_get_www_authenticate("$fd", "${flags}", "$var(sha)");`,
        '\t$var(md5) = $(var(sha){re.subst,/algorithm=SHA-256/algorithm=MD5/});',
        '\tappend_to_reply("$var(sha)$var(md5)");',
        '\tsl_send_reply("401", "Unauthorized");',
      ].join('\n')
    : `\tauth_challenge("$fd", "${flags}");`;
  const inviteAuth = o.challengeInvites
    ? [
        // The station calls out with the WhatsApp caller's number in From: the password is the auth user's.
        '\tif (is_method("INVITE")) {',
        '\t\tif (!is_present_hf("Proxy-Authorization") || $sht(users=>$au) == $null || !pv_auth_check("$fd", "$sht(users=>$au)", "0", "0")) {',
        `\t\t\tauth_challenge("$fd", "${flags}");`,
        '\t\t\texit;',
        '\t\t}',
        '\t}',
      ].join('\n')
    : '';
  return { '{{AUTH_PARAMS}}': params.join('\n'), '{{CHALLENGE}}': challenge, '{{INVITE_AUTH}}': inviteAuth, '{{PREFIX_LINE}}': o.prefixLine ?? '2001' };
}

export class Kamailio {
  private proc: ChildProcess | undefined;
  private output = '';

  private constructor(
    readonly address: string,
    readonly port: number,
    private readonly dir: string,
  ) {}

  static async start(options: KamailioOptions): Promise<Kamailio> {
    const address = options.address ?? '127.0.0.1';
    const port = options.port ?? (await freeSipPort(address));
    const dir = mkdtempSync(join(tmpdir(), 'kamailio-'));
    const users = Object.entries(options.users)
      .map(([u, p]) => `\t$sht(users=>${u}) = "${p.replace(/["\\]/g, '')}";`)
      .join('\n');
    let cfg = readFileSync(TEMPLATE, 'utf8')
      .replaceAll('{{ADDR}}', address)
      .replaceAll('{{PORT}}', String(port))
      .replaceAll('{{CTL}}', join(dir, 'ctl.sock'))
      .replaceAll('{{USERS}}', users);
    for (const [placeholder, text] of Object.entries(authParts(options))) cfg = cfg.replaceAll(placeholder, text);
    writeFileSync(join(dir, 'kamailio.cfg'), cfg);
    try {
      await run('kamailio', ['-c', '-f', join(dir, 'kamailio.cfg')]);
    } catch (err) {
      throw new Error(`kamailio rejected the rendered config ${join(dir, 'kamailio.cfg')}: ${(err as { stderr?: string }).stderr ?? err}`);
    }
    const k = new Kamailio(address, port, dir);
    await k.launch();
    return k;
  }

  get ctlSocket(): string {
    return join(this.dir, 'ctl.sock');
  }

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  get log(): string {
    return this.output;
  }

  /** `METHOD credentials` for every request that carried Authorization / Proxy-Authorization, in order. */
  credentialsSeen(): { method: string; value: string }[] {
    return [...this.output.matchAll(/digest-credentials: (\S+) (.*)/g)].map((m) => ({ method: m[1]!, value: m[2]!.trim() }));
  }

  /** Runs one kamcmd RPC command against this kamailio and returns its output. */
  async rpc(...args: string[]): Promise<string> {
    const { stdout } = await run('kamcmd', ['-s', `unix:${this.ctlSocket}`, ...args], { maxBuffer: 16 << 20 });
    return stdout;
  }

  /** Contacts registered for `user` (empty when none), from usrloc. */
  async contacts(user: string): Promise<string[]> {
    try {
      const { stdout } = await run('kamcmd', ['-s', `unix:${this.ctlSocket}`, 'ul.lookup', 'location', `s:${user}`]);
      return [...stdout.matchAll(/Address:\s*(\S+)/g)].map((m) => m[1]!);
    } catch {
      return [];
    }
  }

  /**
   * The user's binding in usrloc as its REGISTER's Call-ID and CSeq (null when none): a new REGISTER
   * of the line changes it (a new account starts a new Call-ID; a refresh raises the CSeq).
   */
  async binding(user: string): Promise<{ callId: string; cseq: number } | null> {
    const out = await this.rpc('ul.lookup', 'location', `s:${user}`).catch(() => '');
    const callId = /Call-?ID:\s*(\S+)/i.exec(out);
    const cseq = /CSeq:\s*(\d+)/i.exec(out);
    return callId && cseq ? { callId: callId[1]!, cseq: Number(cseq[1]) } : null;
  }

  /** Number of AORs in the location table. */
  async registeredCount(): Promise<number> {
    const { stdout } = await run('kamcmd', ['-s', `unix:${this.ctlSocket}`, 'ul.dump', 'brief'], { maxBuffer: 16 << 20 });
    return [...stdout.matchAll(/AoR:\s*(\S+)/g)].length;
  }

  async stop(): Promise<void> {
    const proc = this.proc;
    this.proc = undefined;
    if (!proc || proc.exitCode !== null || proc.pid === undefined) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    process.kill(proc.pid, 'SIGTERM');
    const timer = setTimeout(() => proc.pid && process.kill(proc.pid, 'SIGKILL'), 3_000);
    await exited;
    clearTimeout(timer);
  }

  /** Stops and starts again on the same port (usrloc is in memory: every binding is forgotten). */
  async restart(): Promise<void> {
    await this.stop();
    await this.launch();
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async launch(): Promise<void> {
    const proc = spawn('kamailio', ['-DD', '-E', '-f', join(this.dir, 'kamailio.cfg'), '-Y', this.dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = proc;
    const collect = (b: Buffer): void => {
      this.output = (this.output + b.toString()).slice(-200_000);
    };
    proc.stdout!.on('data', collect);
    proc.stderr!.on('data', collect);
    await waitFor(
      `kamailio on ${this.address}:${this.port}`,
      async () => {
        if (proc.exitCode !== null) throw new Error(`kamailio exited with ${proc.exitCode}: ${this.output.slice(-2000)}`);
        await run('kamcmd', ['-s', `unix:${this.ctlSocket}`, 'core.version']);
        return true;
      },
      10_000,
      50,
    );
  }
}
