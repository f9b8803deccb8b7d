/**
 * The "Backups" settings: automatic backups on or off, how often, how many to keep per
 * study. They are the computer's settings (one global key), not a study's. In a browser
 * there is no backups folder, so the dialog says how to back up there instead.
 */
import { useEffect, useState } from 'react';
import { BACKUP_INTERVAL_LIMITS, BACKUP_KEEP_LIMITS, backupSettingsProblems, type PlatformBridge } from '../../../shared/platform/bridge.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { getBackupSettings, saveBackupSettings } from '../../data/backups.ts';
import { db } from '../../data/instance.ts';

export function BackupSettingsDialog({ platform, onClose, onSaved }: { platform: PlatformBridge; onClose: () => void; onSaved: () => void }) {
  const desktop = platform.kind === 'desktop';
  const [loaded, setLoaded] = useState(false);
  const [enabled, setEnabled] = useState(true);
  const [interval, setIntervalText] = useState('');
  const [keep, setKeep] = useState('');
  const [folder, setFolder] = useState<string | null>(null);
  const [problems, setProblems] = useState<string[]>([]);

  useEffect(() => {
    let live = true;
    void getBackupSettings(db).then((s) => {
      if (!live) return;
      setEnabled(s.enabled);
      setIntervalText(String(s.intervalMinutes));
      setKeep(String(s.keep));
      setLoaded(true);
    });
    void platform.backupsFolder().then((f) => live && setFolder(f), () => undefined);
    return () => {
      live = false;
    };
  }, [platform]);

  const submit = async () => {
    const settings = { enabled, intervalMinutes: Number(interval.trim() === '' ? Number.NaN : interval), keep: Number(keep.trim() === '' ? Number.NaN : keep) };
    const found = backupSettingsProblems(settings);
    setProblems(found);
    if (found.length > 0) return;
    try {
      await saveBackupSettings(db, settings);
      onSaved();
    } catch (error) {
      setProblems([(error as Error).message]);
    }
  };

  return (
    <Dialog
      title="Backups"
      onClose={onClose}
      onSubmit={() => (desktop ? void submit() : onClose())}
      actions={
        desktop ? (
          <>
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="primary" disabled={!loaded}>
              Save
            </button>
          </>
        ) : (
          <button type="submit" className="primary" autoFocus>
            Close
          </button>
        )
      }
    >
      {desktop ? (
        <>
          <label className="check">
            <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> Back up the open study automatically while it changes
          </label>
          <label className="field">
            <span>Back up every (minutes, {BACKUP_INTERVAL_LIMITS.min}–{BACKUP_INTERVAL_LIMITS.max})</span>
            <input type="number" inputMode="numeric" min={BACKUP_INTERVAL_LIMITS.min} max={BACKUP_INTERVAL_LIMITS.max} step={1} value={interval} disabled={!enabled} onChange={(e) => setIntervalText(e.target.value)} aria-describedby="backup-settings-problems" />
          </label>
          <label className="field">
            <span>Keep per study (backups, {BACKUP_KEEP_LIMITS.min}–{BACKUP_KEEP_LIMITS.max})</span>
            <input type="number" inputMode="numeric" min={BACKUP_KEEP_LIMITS.min} max={BACKUP_KEEP_LIMITS.max} step={1} value={keep} onChange={(e) => setKeep(e.target.value)} aria-describedby="backup-settings-problems" />
          </label>
          <p className="hint">
            A backup is written only when the study changed since the last one; the oldest backups of a study go once there are more than you keep. Back up now
            (Ctrl/Cmd+S) writes one at once.{folder ? ` Backups are kept in ${folder}.` : ''}
          </p>
        </>
      ) : (
        <p className="hint">
          A browser has no backups folder, so Cartography makes no automatic backups here. Use Download backup (Ctrl/Cmd+S) to save the open study as a file, and
          Restore from backup… to bring one back.
        </p>
      )}
      <div id="backup-settings-problems" className="field-problem" role={problems.length > 0 ? 'alert' : undefined}>
        {problems.map((p) => (
          <p key={p}>{p}</p>
        ))}
      </div>
    </Dialog>
  );
}
