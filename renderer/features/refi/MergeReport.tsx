/**
 * The merge report of a preview: what the file adds, what matches, and what is in conflict,
 * with a choice per conflict (both versions side by side) and per coder matched by name. The
 * counts come from the plan made with the current choices, so they change with every click.
 * Used by "Merge a teammate's work…" and by the REFI-QDA import's merge option alike.
 */
import { STUDY_COLLECTIONS, type StudyCollection } from '../../../shared/model/types.ts';
import { COLLECTION_NOUNS, type CoderMatchChoice, type ConflictChoice, type MergeChoices, type MergeConflict } from '../../../shared/refi/merge-conflicts.ts';
import type { MergePreview } from '../../data/merge.ts';

const numberFormat = new Intl.NumberFormat();

/** Collections shown in the report, with the label of their row (the import's counts use them too). */
export const MERGE_REPORT_ROWS: [StudyCollection, string][] = [
  ['coders', 'Coders'],
  ['stages', 'Lifecycle stages'],
  ['codes', 'Codes'],
  ['attributes', 'Case attributes'],
  ['cases', 'Cases'],
  ['participants', 'Participants'],
  ['documents', 'Documents'],
  ['segments', 'Coded passages'],
  ['codings', 'Codings'],
  ['memos', 'Memos'],
  ['actors', 'Actors'],
  ['ties', 'Ties'],
  ['overrides', 'Position overrides'],
];

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function MergeReport({ preview, onChoices, disabled = false }: { preview: MergePreview; onChoices: (choices: MergeChoices) => void; disabled?: boolean }) {
  const { plan, choices } = preview;
  const counts = (key: StudyCollection) => {
    const c = plan.counts[key];
    // A known document's text is compared with the file's: its conflicts count with the documents.
    return key === 'documents' ? { ...c, conflicts: c.conflicts + plan.counts.texts.conflicts } : c;
  };
  const rows = MERGE_REPORT_ROWS.filter(([key]) => {
    const c = counts(key);
    return c.added + c.updated + c.unchanged + c.conflicts > 0;
  });
  const open = plan.conflicts.filter((c) => c.locked === null);
  const setConflict = (key: string, choice: ConflictChoice) => onChoices({ ...choices, conflicts: { ...choices.conflicts, [key]: choice } });
  const setAll = (choice: ConflictChoice) => onChoices({ ...choices, all: choice, conflicts: {} });
  const setCoder = (id: string, choice: CoderMatchChoice) => onChoices({ ...choices, coders: { ...choices.coders, [id]: choice } });
  const added = STUDY_COLLECTIONS.filter((c) => plan.addedNames[c].length > 0);

  return (
    <section className="merge-report" aria-labelledby="merge-report-heading">
      <h3 id="merge-report-heading">The merge</h3>
      {preview.foreignClashes > 0 && (
        <p className="field-problem" role="alert">
          {numberFormat.format(preview.foreignClashes)} of the file’s GUIDs belong to records of another study{preview.foreignStudy ? ` (“${preview.foreignStudy}”)` : ''}. Merge it into that study, or
          import it as a new study.
        </p>
      )}
      <p className="hint">
        Records are matched by their GUID, never by name. Nothing of this study is overwritten unless you take the file’s version of a conflict; codings are kept per coder.
      </p>
      <table className="data-table" aria-label="What the merge does">
        <thead>
          <tr>
            <th scope="col">Records</th>
            <th scope="col" className="num">
              Added
            </th>
            <th scope="col" className="num">
              Matched
            </th>
            <th scope="col" className="num">
              In conflict
            </th>
            <th scope="col" className="num">
              Changed here
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([key, label]) => {
            const c = counts(key);
            return (
              <tr key={key}>
                <th scope="row">{label}</th>
                <td className="num">{numberFormat.format(c.added)}</td>
                <td className="num">{numberFormat.format(c.unchanged + c.updated)}</td>
                <td className="num">{numberFormat.format(c.conflicts)}</td>
                <td className="num">{numberFormat.format(c.updated)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="hint">“Matched” counts the file’s records this study already has; “Changed here” those the merge changes (a conflict where you take the file’s version, a value this study lacked, or a transcript whose coding counts change with the file’s codings).</p>

      {added.length > 0 && (
        <details>
          <summary>What the file adds</summary>
          <ul className="refi-import-notes">
            {added.map((c) => (
              <li key={c}>
                {capitalised(COLLECTION_NOUNS[c][plan.addedNames[c].length === 1 ? 0 : 1])}: {plan.addedNames[c].join(', ')}
              </li>
            ))}
          </ul>
        </details>
      )}

      {plan.nameMatches.length > 0 && (
        <section className="merge-section" aria-labelledby="merge-coders-heading">
          <h4 id="merge-coders-heading">Coders with the same name</h4>
          <p className="hint">These coders have another GUID in the file than in this study, so they may be different people. They stay separate unless you say they are the same person.</p>
          {plan.nameMatches.map((m) => (
            <fieldset key={m.incomingId} className="merge-choice" disabled={disabled}>
              <legend>
                “{m.incomingName}” in the file, “{m.existingName}” in this study ({numberFormat.format(m.codings)} {m.codings === 1 ? 'coding' : 'codings'} in the file)
              </legend>
              <label className="check">
                <input type="radio" name={`coder-${m.incomingId}`} checked={m.choice === 'separate'} onChange={() => setCoder(m.incomingId, 'separate')} /> Separate coders: add “{m.incomingName}” as a coder
              </label>
              <label className="check">
                <input type="radio" name={`coder-${m.incomingId}`} checked={m.choice === 'same'} onChange={() => setCoder(m.incomingId, 'same')} /> Same person: attribute their codings to “{m.existingName}”
              </label>
            </fieldset>
          ))}
        </section>
      )}

      {plan.conflicts.length > 0 && (
        <section className="merge-section" aria-labelledby="merge-conflicts-heading">
          <h4 id="merge-conflicts-heading">
            {plan.conflicts.length === 1 ? '1 conflict' : `${numberFormat.format(plan.conflicts.length)} conflicts`}: the same record, different in the file
          </h4>
          {open.length > 1 && (
            <div className="toolbar">
              <button type="button" disabled={disabled} onClick={() => setAll('ours')}>
                Keep ours for all
              </button>
              <button type="button" disabled={disabled} onClick={() => setAll('theirs')}>
                Take theirs for all
              </button>
            </div>
          )}
          {plan.conflicts.map((c) => (
            <ConflictChoiceView key={c.key} conflict={c} disabled={disabled} onChoose={(choice) => setConflict(c.key, choice)} />
          ))}
        </section>
      )}

      {plan.notes.length > 0 && (
        <ul className="refi-import-notes" aria-label="Notes on the merge">
          {plan.notes.map((n, i) => (
            <li key={i}>{n}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

function ConflictChoiceView({ conflict, disabled, onChoose }: { conflict: MergeConflict; disabled: boolean; onChoose: (choice: ConflictChoice) => void }) {
  const noun = capitalised(COLLECTION_NOUNS[conflict.collection === 'texts' ? 'documents' : conflict.collection][0]);
  const title = `${noun} “${conflict.name}”`;
  return (
    <fieldset className="merge-choice merge-conflict" disabled={disabled}>
      <legend>{title}</legend>
      <table className="data-table merge-versions">
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">In this study (ours)</th>
            <th scope="col">In the file (theirs)</th>
          </tr>
        </thead>
        <tbody>
          {conflict.differences.map((d) => (
            <tr key={d.field}>
              <th scope="row">{d.label}</th>
              <td>{d.ours}</td>
              <td>{d.theirs}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {conflict.locked === null ? (
        <div className="merge-radios" role="radiogroup" aria-label={`Version of ${title}`}>
          <label className="check">
            <input type="radio" name={`conflict-${conflict.key}`} checked={conflict.choice === 'ours'} onChange={() => onChoose('ours')} /> Keep ours
          </label>
          <label className="check">
            <input type="radio" name={`conflict-${conflict.key}`} checked={conflict.choice === 'theirs'} onChange={() => onChoose('theirs')} /> Take theirs
          </label>
        </div>
      ) : (
        <p className="hint">Ours is kept. {conflict.locked}</p>
      )}
    </fieldset>
  );
}
