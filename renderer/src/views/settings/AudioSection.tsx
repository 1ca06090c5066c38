/** Media: the RTP port range and the operator's headset for test dials (devices from `audio.devices`). */
import { useEffect, useState } from 'react';
import type { AudioDevice } from '../../../../electron/station/api/types';
import { useCommand } from '../../store/station-context';
import { NumberField, SelectField, TextField } from './fields';
import { useSettingsForm } from './form-state';

export function AudioSection() {
  const run = useCommand();
  const { draft } = useSettingsForm();
  const [devices, setDevices] = useState<AudioDevice[] | null>(null);
  useEffect(() => {
    void run('audio.devices', {}).then((d) => setDevices(d ?? []));
  }, [run]);
  const names = (pick: (d: AudioDevice) => number, current: string | undefined) => {
    const list = [...new Set((devices ?? []).filter((d) => pick(d) > 0).map((d) => d.name))];
    // A device saved earlier but unplugged now stays selectable, so saving does not drop it silently.
    return current && !list.includes(current) ? [current, ...list] : list;
  };
  const headset = draft.media.headset;
  return (
    <fieldset className="section" data-testid="settings-audio">
      <legend>Media and headset</legend>
      <div className="row">
        <TextField path={['media', 'bindAddress']} label="RTP bind address" />
        <NumberField path={['media', 'rtpPortMin']} label="RTP ports from" />
        <NumberField path={['media', 'rtpPortMax']} label="RTP ports to" />
        <NumberField path={['media', 'rtpTimeoutS']} label="End a call after no RTP for (s)" hint="0: off (a call on hold is never ended)" />
      </div>
      <div className="row">
        <SelectField path={['media', 'headset', 'input']} label="Headset microphone" optional options={names((d) => d.inputs, headset?.input)} hint="(none): the system default" />
        <SelectField path={['media', 'headset', 'output']} label="Headset speaker" optional options={names((d) => d.outputs, headset?.output)} />
        {devices === null ? <span className="muted">reading sound devices…</span> : devices.length === 0 ? <span className="muted">no sound devices found</span> : null}
      </div>
    </fieldset>
  );
}
