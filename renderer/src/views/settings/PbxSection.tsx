/** PBX accounts: the registrars lines register on. With none yet, this is the "Connect your PBX" step. */
import { SIP_TRANSPORTS } from '../../../../electron/station/values';
import { CheckField, NumberField, SelectField, TextField } from './fields';
import { useSettingsForm } from './form-state';
import { RegistrationTestButton } from './RegistrationTestButton';

export function PbxSection({ focus }: { focus: boolean }) {
  const { draft, set } = useSettingsForm();
  const add = () => set(['pbx', draft.pbx.length], { id: draft.pbx.length ? `pbx${draft.pbx.length + 1}` : 'office', host: '', port: 5060, transport: 'udp', keepaliveSeconds: 25, registerExpires: 300 });
  const empty = draft.pbx.length === 0;
  return (
    <fieldset className={`section${focus ? ' section-focus' : ''}`} id="settings-pbx" data-testid="settings-pbx">
      <legend>PBX</legend>
      {empty ? (
        <div className="step" data-testid="connect-pbx">
          <h3>Connect your PBX</h3>
          <p>
            Enter the address of your IP-PBX (Asterisk, FreePBX, 3CX, Kamailio…). Then, under Lines, give each phone the SIP extension it registers as, with its
            password (Add lines for all phones does it in one step). Create one extension per phone on the PBX first (NAT on, as for a softphone).
          </p>
          <button type="button" className="primary" onClick={add}>
            Add your PBX
          </button>
        </div>
      ) : null}
      {draft.pbx.map((p, i) => (
        <div className="item" key={i}>
          <div className="row">
            <TextField path={['pbx', i, 'id']} label="Id" hint="lines refer to the PBX by this name" />
            <TextField path={['pbx', i, 'host']} label="Host" hint="host name or IP address of the registrar" />
            <NumberField path={['pbx', i, 'port']} label="Port" optional hint="empty: SRV lookup of the host name" />
            <SelectField path={['pbx', i, 'transport']} label="Transport" options={SIP_TRANSPORTS} />
            <TextField path={['pbx', i, 'outboundProxy']} label="Outbound proxy" optional hint="host or host:port; empty: none" />
            <NumberField path={['pbx', i, 'keepaliveSeconds']} label="Keepalive (s)" hint="0 switches it off" />
            <NumberField path={['pbx', i, 'registerExpires']} label="Register expires (s)" />
          </div>
          {p.transport === 'tls' ? (
            <div className="row">
              <TextField path={['pbx', i, 'tls', 'caFile']} label="CA file (PEM)" optional hint="empty: the system CAs" />
              <TextField path={['pbx', i, 'tls', 'servername']} label="TLS server name" optional />
              <CheckField path={['pbx', i, 'tls', 'rejectUnauthorized']} label="Verify the PBX certificate" />
            </div>
          ) : null}
          <div className="row">
            <RegistrationTestButton pbx={p} label="Test the PBX" />
            <button type="button" className="link danger" onClick={() => set(['pbx'], draft.pbx.filter((_, j) => j !== i))}>
              Remove PBX {p.id}
            </button>
          </div>
        </div>
      ))}
      {!empty ? (
        <button type="button" onClick={add}>
          Add a PBX
        </button>
      ) : null}
    </fieldset>
  );
}
