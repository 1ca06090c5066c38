/**
 * "Test registration" for the draft, before it is saved: the station sends one REGISTER (and removes
 * the binding again) and says what the PBX answered. Without a line it tests that the PBX answers.
 */
import { useState } from 'react';
import type { CommandResults } from '../../../../electron/station/api/contract';
import type { LineConfig, PbxConfig } from '../../../../electron/station/config/schema';
import { useClient } from '../../store/station-context';

type Result = CommandResults['settings.testRegistration'];

export function RegistrationTestButton({ pbx, line, label }: { pbx: PbxConfig | undefined; line?: LineConfig; label: string }) {
  const client = useClient();
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<Pick<Result, 'ok' | 'words'> | null>(null);
  const run = async () => {
    if (!pbx) return;
    setRunning(true);
    setResult(null);
    try {
      setResult(await client.call('settings.testRegistration', { pbx, ...(line ? { line } : {}) }));
    } catch (err) {
      setResult({ ok: false, words: (err as Error).message.replace(/^(failed: )?(settings\.testRegistration: )?/, '') });
    } finally {
      setRunning(false);
    }
  };
  return (
    <div className="probe">
      <button type="button" disabled={running || !pbx} onClick={() => void run()} title={pbx ? undefined : 'choose a PBX first'}>
        {running ? 'Testing…' : label}
      </button>
      {result ? (
        <span className={`probe-result ${result.ok ? 'good-text' : 'bad-text'}`} data-testid="probe-result" role="status">
          {result.words}
        </span>
      ) : null}
    </div>
  );
}
