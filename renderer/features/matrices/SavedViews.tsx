/** Save the current matrix configuration by name, and reopen or delete saved ones (kept per study on this computer). */
import { useLiveQuery } from 'dexie-react-hooks';
import { useId, useState } from 'react';
import { useNotices } from '../../components/Notices.tsx';
import { db } from '../../data/instance.ts';
import { deleteMatrixView, listMatrixViews, saveMatrixView } from '../../data/matrices.ts';

export function SavedViews({ studyId, config, onOpen }: { studyId: string; config: unknown; onOpen: (config: unknown) => void }) {
  const views = useLiveQuery(() => listMatrixViews(db, studyId), [studyId]) ?? [];
  const [chosen, setChosen] = useState('');
  const [name, setName] = useState('');
  const { notify } = useNotices();
  const pickId = useId();
  const nameId = useId();
  const current = views.find((v) => v.name === chosen);
  return (
    <div className="saved-views" role="group" aria-label="Saved views">
      <div className="control">
        <label htmlFor={pickId}>Saved view</label>
        <select
          id={pickId}
          value={chosen}
          onChange={(e) => {
            setChosen(e.target.value);
            const view = views.find((v) => v.name === e.target.value);
            if (view) {
              onOpen(view.config);
              notify('info', `Opened the view “${view.name}”`);
            }
          }}
        >
          <option value="">{views.length === 0 ? 'None saved yet' : 'Choose a view…'}</option>
          {views.map((v) => (
            <option key={v.name} value={v.name}>
              {v.name}
            </option>
          ))}
        </select>
      </div>
      {current && (
        <button
          type="button"
          className="danger-quiet"
          onClick={async () => {
            await deleteMatrixView(db, studyId, current.name);
            setChosen('');
            notify('info', `Deleted the view “${current.name}”`);
          }}
        >
          Delete view
        </button>
      )}
      <div className="control">
        <label htmlFor={nameId}>Save this view as</label>
        <input
          id={nameId}
          value={name}
          placeholder="e.g. Licences, pre-training"
          onChange={(e) => setName(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              (e.currentTarget.nextElementSibling as HTMLButtonElement | null)?.click();
            }
          }}
        />
        <button
          type="button"
          disabled={name.trim() === ''}
          onClick={async () => {
            const trimmed = name.replace(/\s+/g, ' ').trim();
            const replaced = views.some((v) => v.name.toLowerCase() === trimmed.toLowerCase());
            await saveMatrixView(db, studyId, trimmed, config);
            setChosen(trimmed);
            setName('');
            notify('info', replaced ? `Replaced the saved view “${trimmed}”` : `Saved the view “${trimmed}”`);
          }}
        >
          Save view
        </button>
      </div>
    </div>
  );
}
