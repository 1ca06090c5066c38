/** Command errors and confirmations; errors stay until dismissed, confirmations fade after 4 s. */
import { useEffect } from 'react';
import { useStation } from '../store/station-context';

export function Toasts() {
  const toasts = useStation((s) => s.toasts);
  const dismiss = useStation((s) => s.dismissToast);
  useEffect(() => {
    const timers = toasts.filter((t) => t.level === 'info').map((t) => setTimeout(() => dismiss(t.id), 4000));
    return () => timers.forEach(clearTimeout);
  }, [toasts, dismiss]);
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.level}`} role={t.level === 'error' ? 'alert' : 'status'} data-testid="toast">
          <span>{t.text}</span>
          <button type="button" className="link" aria-label="dismiss" onClick={() => dismiss(t.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
