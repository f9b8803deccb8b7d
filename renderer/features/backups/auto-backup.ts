/**
 * Automatic backups on the desktop: every few minutes (the researcher's setting), the open
 * study is backed up if it changed since its last backup. A browser has no backups folder,
 * so nothing runs there (a backup is a download the researcher asks for).
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect } from 'react';
import type { Guid } from '../../../shared/model/types.ts';
import type { PlatformBridge } from '../../../shared/platform/bridge.ts';
import { useNotices } from '../../components/Notices.tsx';
import { backUpIfChanged, getBackupSettings } from '../../data/backups.ts';
import { db } from '../../data/instance.ts';

export function useAutoBackup(platform: PlatformBridge, studyId: Guid | null): void {
  const { notify } = useNotices();
  const settings = useLiveQuery(() => getBackupSettings(db), []);
  const enabled = platform.kind === 'desktop' && settings?.enabled === true && studyId !== null;
  const minutes = settings?.intervalMinutes ?? null;

  useEffect(() => {
    if (!enabled || minutes === null || studyId === null) return;
    let failedOnce = false;
    let running = false;
    const tick = async () => {
      if (running) return;
      running = true;
      try {
        await backUpIfChanged(db, platform, studyId);
        failedOnce = false;
      } catch (error) {
        // Said once, not every few minutes; the next success clears it.
        if (!failedOnce) notify('error', 'The automatic backup could not be written', `${(error as Error).message} Cartography tries again in ${minutes} minute${minutes === 1 ? '' : 's'}.`);
        failedOnce = true;
      } finally {
        running = false;
      }
    };
    const timer = setInterval(() => void tick(), minutes * 60_000);
    return () => clearInterval(timer);
  }, [enabled, minutes, notify, platform, studyId]);
}
