/**
 * Importing transcripts, file by file: map the columns of CSV files, read every file,
 * review what was found (title, case, participants, speakers, encoding), then write each
 * file as one undoable change and list what happened to every file.
 */
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { previewCsv, type CsvMapping as Mapping, type CsvPreview } from '../../../shared/import/csv.ts';
import { decodeText } from '../../../shared/import/decode.ts';
import { extensionOf } from '../../../shared/import/transcript.ts';
import type { ImportProblem, ImportResult, ParsedTranscript } from '../../../shared/import/types.ts';
import type { Guid, Participant } from '../../../shared/model/types.ts';
import type { OpenedFile } from '../../../shared/platform/bridge.ts';
import { useStudyHistory } from '../../app/history-context.tsx';
import { routeHash } from '../../app/route.ts';
import { Dialog } from '../../components/Dialog.tsx';
import type { StudyCore } from '../../data/hooks.ts';
import { importTranscripts } from '../../data/import.ts';
import { db } from '../../data/instance.ts';
import { byName } from '../../data/studies.ts';
import { CsvMapping } from './CsvMapping.tsx';
import { markedInterviewer, sameName, suggestFor } from './import-review.ts';
import './import.css';

type Step = 'reading' | 'mapping' | 'review' | 'writing' | 'done';

interface CsvFile {
  preview: CsvPreview;
  mapping: Mapping;
}

interface ReviewRow {
  key: string;
  fileName: string;
  parsed: ParsedTranscript;
  include: boolean;
  title: string;
  caseId: Guid | null;
  participantIds: Guid[];
  /** The speaker chosen as interviewer ('' = none); undefined until the researcher changes it. */
  interviewer: string | undefined;
}

type Outcome = { kind: 'imported'; documents: { id: Guid; title: string }[] } | { kind: 'refused' } | { kind: 'skipped' } | { kind: 'failed'; message: string };

const NO_CASE = '';

export function ImportDialog({ core, participants, files, onClose }: { core: StudyCore; participants: Participant[]; files: OpenedFile[]; onClose: () => void }) {
  const studyId = core.study.id;
  const history = useStudyHistory(studyId);
  const [step, setStep] = useState<Step>('reading');
  const [progress, setProgress] = useState(0);
  const [csv, setCsv] = useState<Map<string, CsvFile>>(new Map());
  const [results, setResults] = useState<ImportResult[]>([]);
  const [rows, setRows] = useState<ReviewRow[]>([]);
  const [outcomes, setOutcomes] = useState<Map<string, Outcome>>(new Map());
  const started = useRef(false);
  const sortedParticipants = useMemo(() => [...participants].sort((a, b) => byName(a.pseudonym, b.pseudonym)), [participants]);

  // Files arrive named; two files of the same name (from two folders) are told apart.
  const named = useMemo(() => {
    const seen = new Map<string, number>();
    return files.map((f) => {
      const n = (seen.get(f.name) ?? 0) + 1;
      seen.set(f.name, n);
      return { ...f, name: n === 1 ? f.name : `${f.name} (${n})` };
    });
  }, [files]);

  async function parseAll(mappings: Map<string, CsvFile>) {
    setStep('reading');
    setProgress(0);
    const engine = await import('./import-engine.ts');
    const parsed: ImportResult[] = [];
    for (const [i, file] of named.entries()) {
      try {
        parsed.push(await engine.parseFile(file.name, file.bytes, mappings.get(file.name)?.mapping ?? null));
      } catch (error) {
        parsed.push({ file: file.name, documents: [], problems: [{ file: file.name, message: `“${file.name}” could not be read (${(error as Error).message}).`, hint: 'Check that the file opens in its own program, then import it again.' }] });
      }
      setProgress(i + 1);
    }
    setResults(parsed);
    setRows(
      parsed.flatMap((r) =>
        r.documents.map((d, i) => ({
          key: `${r.file}#${i}`,
          fileName: r.file,
          parsed: d,
          include: true,
          title: d.title,
          ...suggestFor(r.file, d, core.cases, participants),
          interviewer: undefined,
        })),
      ),
    );
    setStep('review');
  }

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const mappings = new Map<string, CsvFile>();
    for (const file of named) {
      if (extensionOf(file.name) !== 'csv' || file.bytes.length === 0) continue;
      const decoded = decodeText(file.bytes, file.name);
      if ('problem' in decoded) continue; // the parse reports it
      const preview = previewCsv(decoded.text, file.name);
      if (preview.columns.length > 0) mappings.set(file.name, { preview, mapping: preview.guessedMapping });
    }
    setCsv(mappings);
    if (mappings.size > 0) setStep('mapping');
    else void parseAll(mappings);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- runs once for the files the dialog opened with
  }, []);

  async function write() {
    setStep('writing');
    setProgress(0);
    const next = new Map<string, Outcome>();
    const coderId = core.study.activeCoderId;
    for (const [i, result] of results.entries()) {
      const chosen = rows.filter((r) => r.fileName === result.file && r.include);
      if (result.documents.length === 0) next.set(result.file, { kind: 'refused' });
      else if (chosen.length === 0) next.set(result.file, { kind: 'skipped' });
      else {
        let failure: string | null = null;
        const entries = chosen.map((r) => ({
          parsed: r.parsed,
          assignment: { fileName: r.fileName, title: r.title, caseId: r.caseId, participantIds: r.participantIds, ...(r.interviewer === undefined ? {} : { interviewer: r.interviewer === '' ? null : r.interviewer }) },
        }));
        const done = await history.perform(async () => {
          try {
            return await importTranscripts(db, studyId, result.file, entries, coderId);
          } catch (error) {
            failure = (error as Error).message;
            throw error;
          }
        });
        next.set(result.file, done ? { kind: 'imported', documents: done.documentIds.map((id, j) => ({ id, title: entries[j]!.assignment.title?.trim() || entries[j]!.parsed.title })) } : { kind: 'failed', message: failure ?? 'The transcripts could not be saved.' });
      }
      setProgress(i + 1);
      setOutcomes(new Map(next));
    }
    setStep('done');
  }

  const update = (key: string, change: Partial<ReviewRow>) => setRows((all) => all.map((r) => (r.key === key ? { ...r, ...change } : r)));
  const included = rows.filter((r) => r.include).length;
  const refused = results.filter((r) => r.documents.length === 0);
  const busy = step === 'reading' || step === 'writing';

  let title = 'Import transcripts';
  let actions = (
    <button type="button" onClick={onClose} disabled={busy}>
      Cancel
    </button>
  );
  let body: ReactNode;
  if (step === 'reading' || step === 'writing') {
    const total = step === 'reading' ? named.length : results.length;
    const label = step === 'reading' ? 'Reading files' : 'Saving transcripts';
    body = (
      <div className="import-progress">
        <label>
          <span>
            {label}: {progress} of {total}
          </span>
          <progress max={total} value={progress} aria-label={label} />
        </label>
        {step === 'writing' && <ResultList results={results} outcomes={outcomes} studyId={studyId} />}
      </div>
    );
  } else if (step === 'mapping') {
    title = 'Import transcripts: map the CSV columns';
    body = (
      <>
        <p className="hint">Each row becomes one speaker turn. Choose the column of each kind of information; only the text is required. Rows with the same document value become one transcript.</p>
        {[...csv].map(([fileName, file]) => (
          <CsvMapping key={fileName} fileName={fileName} preview={file.preview} mapping={file.mapping} onChange={(mapping) => setCsv((all) => new Map(all).set(fileName, { ...file, mapping }))} />
        ))}
      </>
    );
    actions = (
      <>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="primary">
          Continue
        </button>
      </>
    );
  } else if (step === 'review') {
    title = 'Import transcripts: review';
    body = (
      <>
        <p className="hint">
          {rows.length === 0
            ? 'None of these files can be imported.'
            : `${rows.length} ${rows.length === 1 ? 'transcript' : 'transcripts'} found in ${results.length - refused.length} of ${results.length} ${results.length === 1 ? 'file' : 'files'}. Check each title, case and participants; suggestions come from the file names. Each file is saved on its own and can be undone.`}
        </p>
        {refused.length > 0 && (
          <section aria-label="Files that cannot be imported" className="import-refused">
            <h3>Cannot be imported</h3>
            <ul>
              {refused.map((r) => (
                <li key={r.file}>
                  <ProblemList problems={r.problems} />
                </li>
              ))}
            </ul>
          </section>
        )}
        {rows.length > 0 && (
          <div className="table-scroll import-review" tabIndex={0} role="region" aria-label="Transcripts to import">
            <table className="data-table" aria-label="Transcripts found">
              <thead>
                <tr>
                  <th scope="col">Import</th>
                  <th scope="col">Transcript</th>
                  <th scope="col">Case</th>
                  <th scope="col">Participants</th>
                  <th scope="col">Speakers</th>
                  <th scope="col">Encoding and notes</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <ReviewRowView
                    key={r.key}
                    row={r}
                    core={core}
                    participants={sortedParticipants}
                    problems={results.find((x) => x.file === r.fileName)!.problems}
                    first={rows.find((x) => x.fileName === r.fileName) === r}
                    name={rows.filter((x) => x.fileName === r.fileName).length > 1 ? `${r.parsed.title} (${r.fileName})` : r.fileName}
                    onChange={(change) => update(r.key, change)}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </>
    );
    actions = (
      <>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        {rows.length > 0 && (
          <button type="submit" className="primary" disabled={included === 0}>
            Import {included} {included === 1 ? 'transcript' : 'transcripts'}
          </button>
        )}
      </>
    );
  } else {
    const imported = [...outcomes.values()].filter((o) => o.kind === 'imported').length;
    title = 'Import transcripts: done';
    body = (
      <>
        <p className="hint" role="status">
          {imported} of {results.length} {results.length === 1 ? 'file' : 'files'} imported. Edit → Undo (Ctrl+Z) takes back the last file imported.
        </p>
        <ResultList results={results} outcomes={outcomes} studyId={studyId} />
      </>
    );
    actions = (
      <button type="submit" className="primary">
        Close
      </button>
    );
  }

  return (
    <Dialog
      title={title}
      onClose={() => {
        if (!busy) onClose();
      }}
      onSubmit={() => {
        if (step === 'mapping') void parseAll(csv);
        else if (step === 'review' && included > 0) void write();
        else if (step === 'done') onClose();
      }}
      actions={actions}
    >
      <div className="import-dialog" aria-busy={busy}>
        {body}
      </div>
    </Dialog>
  );
}

/** `name` tells the row's controls apart for assistive technology: the file, and the document title when a file holds several. */
function ReviewRowView({ row, core, participants, problems, first, name, onChange }: { row: ReviewRow; core: StudyCore; participants: Participant[]; problems: ImportProblem[]; first: boolean; name: string; onChange: (change: Partial<ReviewRow>) => void }) {
  const { parsed } = row;
  // the chosen case's participants first
  const ordered = [...participants.filter((p) => row.caseId !== null && p.caseId === row.caseId), ...participants.filter((p) => row.caseId === null || p.caseId !== row.caseId)];
  const marked = markedInterviewer(parsed);
  const interviewer = row.interviewer ?? marked ?? '';
  const turnsWithSpeaker = parsed.turns.filter((t) => t.speaker !== null).length;
  const codings = parsed.codings.reduce((n, c) => n + c.codeNames.length, 0);
  return (
    <tr className={row.include ? undefined : 'excluded'}>
      <td>
        <input type="checkbox" checked={row.include} aria-label={`Import ${name}`} onChange={(e) => onChange({ include: e.target.checked })} />
      </td>
      <td className="import-title">
        <input type="text" value={row.title} aria-label={`Title of ${name}`} onChange={(e) => onChange({ title: e.target.value })} />
        <span className="cell-note">
          {row.fileName} · {parsed.sourceFormat.toUpperCase()} · {parsed.turns.length} {parsed.turns.length === 1 ? 'turn' : 'turns'}
          {codings > 0 && ` · ${codings} ${codings === 1 ? 'coding' : 'codings'}`}
        </span>
      </td>
      <td>
        <select aria-label={`Case of ${name}`} value={row.caseId ?? NO_CASE} onChange={(e) => onChange({ caseId: e.target.value === NO_CASE ? null : e.target.value })}>
          <option value={NO_CASE}>No case</option>
          {core.cases.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
        {parsed.caseName !== null && !core.cases.some((c) => sameName(c.name, parsed.caseName!)) && (
          <span className="cell-note">The file names the case “{parsed.caseName}”, which this study does not have.</span>
        )}
      </td>
      <td>
        {participants.length === 0 ? (
          <span className="missing">The study has no participants yet.</span>
        ) : (
          <fieldset className="participant-picks" aria-label={`Participants of ${name}`}>
            {ordered.map((p) => (
              <label key={p.id}>
                <input
                  type="checkbox"
                  checked={row.participantIds.includes(p.id)}
                  onChange={(e) => onChange({ participantIds: e.target.checked ? [...row.participantIds, p.id] : row.participantIds.filter((id) => id !== p.id) })}
                />{' '}
                {p.pseudonym}
              </label>
            ))}
          </fieldset>
        )}
      </td>
      <td>
        {parsed.speakers.length === 0 ? (
          <span className="missing">No speaker labels found: the text is kept as paragraphs.</span>
        ) : (
          <>
            <span className="speakers">{parsed.speakers.join(', ')}</span>
            <span className="cell-note">
              {turnsWithSpeaker} {turnsWithSpeaker === 1 ? 'turn' : 'turns'} with a speaker
            </span>
            <label className="interviewer-pick">
              <span>Interviewer</span>
              <select aria-label={`Interviewer in ${name}`} value={interviewer} onChange={(e) => onChange({ interviewer: e.target.value })}>
                <option value="">None</option>
                {parsed.speakers.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            </label>
          </>
        )}
      </td>
      <td className="import-notes">
        <span className={parsed.encoding.includes('converted') ? 'encoding converted' : 'encoding'}>Encoding: {parsed.encoding}</span>
        {parsed.notes.length > 0 && (
          <ul>
            {parsed.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        )}
        {first && problems.length > 0 && <ProblemList problems={problems} />}
      </td>
    </tr>
  );
}

function ProblemList({ problems }: { problems: ImportProblem[] }) {
  return (
    <ul className="import-problems">
      {problems.map((p, i) => (
        <li key={i}>
          <strong>{p.message}</strong> <span className="hint">{p.hint}</span>
        </li>
      ))}
    </ul>
  );
}

const skipped = (problems: readonly ImportProblem[]) => problems.filter((p) => p.row !== undefined || p.line !== undefined).length;

function ResultList({ results, outcomes, studyId }: { results: ImportResult[]; outcomes: Map<string, Outcome>; studyId: Guid }) {
  return (
    <ul className="import-results" aria-label="Import results">
      {results.map((r) => {
        const outcome = outcomes.get(r.file);
        if (!outcome) return null;
        const notes = [...new Set(r.documents.flatMap((d) => [d.encoding.includes('converted') ? `Encoding: ${d.encoding}` : null, ...d.notes]).filter((n): n is string => n !== null))];
        return (
          <li key={r.file} className={`import-result result-${outcome.kind}`}>
            <div className="result-head">
              <span className="result-status">{outcome.kind === 'imported' ? 'Imported' : outcome.kind === 'skipped' ? 'Left out' : 'Not imported'}</span>
              <span className="result-file">{r.file}</span>
              {outcome.kind === 'imported' && skipped(r.problems) > 0 && (
                <span className="result-skipped-rows">
                  {skipped(r.problems)} {r.problems.some((p) => p.row !== undefined) ? (skipped(r.problems) === 1 ? 'row' : 'rows') : skipped(r.problems) === 1 ? 'line' : 'lines'} to check
                </span>
              )}
              {outcome.kind === 'imported' && (
                <span className="result-docs">
                  {outcome.documents.map((d, i) => (
                    <span key={d.id}>
                      {i > 0 && ', '}
                      <a href={routeHash({ screen: 'study', studyId, area: 'coding', item: d.id })}>{d.title}</a>
                    </span>
                  ))}
                </span>
              )}
            </div>
            {outcome.kind === 'failed' && (
              <p>
                <strong>Nothing from this file was saved: {outcome.message}</strong>
              </p>
            )}
            {outcome.kind === 'imported' && notes.length > 0 && (
              <ul className="result-notes">
                {notes.map((n) => (
                  <li key={n}>{n}</li>
                ))}
              </ul>
            )}
            {r.problems.length > 0 && <ProblemList problems={r.problems} />}
          </li>
        );
      })}
    </ul>
  );
}
