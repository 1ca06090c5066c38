/**
 * Settings: the whole configuration from `settings.get`, edited as a draft and sent back with
 * `settings.save`. A refusal names the field: it is shown as a banner and next to that field, and
 * nothing is changed on the station. Passwords arrive masked; a mask sent back keeps the password.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { CommandResults } from '../../../../electron/station/api/contract';
import type { StationConfig } from '../../../../electron/station/config/schema';
import { useClient, useStation } from '../../store/station-context';
import { AlarmsSection } from './AlarmsSection';
import { AudioSection } from './AudioSection';
import { fieldErrors, SettingsFormContext, setIn, type Path, type SettingsForm } from './form-state';
import { LinesSection } from './LinesSection';
import { OtherSection } from './OtherSection';
import { PbxSection } from './PbxSection';
import { PolicySection } from './PolicySection';
import { RoutingSection } from './RoutingSection';

/** Where the settings live: the file once it exists, where the first save will put it before. */
function savedWhere({ file, fileExists }: CommandResults['settings.get']): string {
  if (!file) return 'not saved to a file (started without --config): changes last until the station stops';
  return fileExists ? `saved to ${file}` : `not saved yet: Save and apply writes ${file}`;
}

export function SettingsPage() {
  const client = useClient();
  const focus = useStation((s) => s.settingsFocus);
  const toast = useStation((s) => s.toast);
  const [loaded, setLoaded] = useState<CommandResults['settings.get'] | null>(null);
  const [draft, setDraft] = useState<StationConfig | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [dirty, setDirty] = useState(false);

  const load = useCallback(() => {
    client.call('settings.get', {}).then(
      (r) => {
        setLoaded(r);
        setDraft(r.config);
        setDirty(false);
        setError(null);
      },
      (err: Error) => setError(err.message),
    );
  }, [client]);
  useEffect(load, [load]);

  const set = useCallback((path: Path, value: unknown) => {
    setDraft((d) => (d ? setIn(d, path, value) : d));
    setDirty(true);
  }, []);
  const errors = useMemo(() => fieldErrors(error), [error]);
  const form = useMemo<SettingsForm | null>(() => (draft ? { draft, set, errors } : null), [draft, set, errors]);

  const save = async () => {
    if (!draft) return;
    setSaving(true);
    try {
      const r = await client.call('settings.save', { config: draft });
      setDraft(r.config);
      setLoaded((l) => (l ? { ...l, config: r.config, file: r.file, fileExists: r.file !== null } : l));
      setDirty(false);
      setError(null);
      toast('info', `Settings saved${r.file ? ` to ${r.file}` : ''}.`);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setSaving(false);
    }
  };

  const banner = error ? (
    <div className="banner banner-error" data-testid="settings-error" role="alert">
      The station refused these settings: {error}
    </div>
  ) : null;
  if (!form || !loaded) return <section className="settings">{banner ?? <p className="muted">Loading settings…</p>}</section>;

  return (
    <SettingsFormContext.Provider value={form}>
      <form
        className="settings"
        aria-label="settings"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <div className="toolbar sticky">
          <button type="submit" className="primary" disabled={saving}>
            {saving ? 'Saving…' : 'Save and apply'}
          </button>
          <button type="button" disabled={saving || !dirty} onClick={load}>
            Discard changes
          </button>
          <span className="muted">
            {savedWhere(loaded)}
            {loaded.secrets === 'encrypted' ? ' · passwords encrypted' : ''}
            {dirty ? ' · unsaved changes' : ''}
          </span>
        </div>
        {banner}
        <PbxSection focus={focus === 'pbx'} />
        <LinesSection />
        <RoutingSection />
        <PolicySection />
        <AudioSection />
        <OtherSection />
        <AlarmsSection />
      </form>
    </SettingsFormContext.Provider>
  );
}
