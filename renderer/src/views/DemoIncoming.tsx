/**
 * The demo's other direction: on a demo line, "Incoming WhatsApp call…" lets the operator pick a demo
 * contact who then calls the line's phone (`demo.incomingCall`), so the station rings the line's inbound
 * extension on the PBX; the same contact can send the phone a scripted text (`demo.incomingMessage`).
 * Shown only in demo mode; a refusal (no PBX yet, no inbound extension) comes back as a toast that says why.
 */
import { useState } from 'react';
import { useCommand, useStation } from '../store/station-context';

const DEFAULT_TEXT = 'Hello from the demo: is this line working?';

export function DemoIncoming({ lineId, disabled }: { lineId: string; disabled?: boolean }) {
  const run = useCommand();
  const contacts = useStation((s) => (s.info?.demo ? s.info.demoContacts : null));
  const [open, setOpen] = useState(false);
  const [from, setFrom] = useState('');
  const [text, setText] = useState(DEFAULT_TEXT);
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<string | null>(null);
  if (!contacts?.length) return null;
  const caller = contacts.find((c) => c.number === from) ?? contacts[0]!;

  const act = async (fn: () => Promise<string | null>) => {
    setBusy(true);
    setSaid(null);
    try {
      setSaid(await fn());
    } finally {
      setBusy(false);
    }
  };
  const ring = () =>
    act(async () => {
      const r = await run('demo.incomingCall', { lineId, from: caller.number });
      return r ? `${caller.name} is calling line ${lineId}: extension ${r.extension} rings` : null;
    });
  const write = () =>
    act(async () => {
      const r = await run('demo.incomingMessage', { lineId, from: caller.number, text });
      return r ? `${caller.name} sent line ${lineId} a message` : null;
    });

  return (
    <>
      <button type="button" onClick={() => setOpen((o) => !o)} aria-expanded={open} disabled={disabled && !open}>
        Incoming WhatsApp call…
      </button>
      {open ? (
        <div className="demo-incoming" role="group" aria-label={`demo: incoming WhatsApp call or message on line ${lineId}`} data-testid="demo-incoming">
          <label>
            From
            <select value={caller.number} onChange={(e) => setFrom(e.target.value)} data-testid="demo-incoming-from">
              {contacts.map((c) => (
                <option key={c.number} value={c.number}>
                  {c.name} (+{c.number}, {c.behaviour})
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="primary" disabled={busy || disabled} onClick={() => void ring()} data-testid="demo-incoming-call">
            Incoming WhatsApp call from {caller.name}
          </button>
          <label>
            Message
            <input value={text} onChange={(e) => setText(e.target.value)} aria-label="demo message text" maxLength={1000} />
          </label>
          <button type="button" disabled={busy || !text.trim()} onClick={() => void write()}>
            Send as {caller.name}
          </button>
          {said ? (
            <p className="muted" role="status" data-testid="demo-incoming-status">
              {said}
            </p>
          ) : null}
        </div>
      ) : null}
    </>
  );
}
