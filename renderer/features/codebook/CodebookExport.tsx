import { codebookToCsv } from '../../../shared/codebook/csv.ts';
import { codebookToMarkdown } from '../../../shared/codebook/markdown.ts';
import { codebookToQdc } from '../../../shared/codebook/qdc.ts';
import type { Code } from '../../../shared/model/types.ts';
import { useNotices } from '../../components/Notices.tsx';
import { loadSegmentsById } from '../../data/codebook.ts';
import { db } from '../../data/instance.ts';
import type { StudyCore } from '../../data/hooks.ts';
import { platform } from '../../platform/platform.ts';
import { CodebookImport } from './CodebookImport.tsx';
import { fileStem } from '../../../shared/text/file-stem.ts';

const FORMATS = {
  csv: { label: 'CSV', extension: 'csv', filter: 'Spreadsheet (CSV)' },
  md: { label: 'Markdown', extension: 'md', filter: 'Markdown' },
  qdc: { label: 'REFI-QDA (.qdc)', extension: 'qdc', filter: 'REFI-QDA codebook' },
} as const;
type Format = keyof typeof FORMATS;

/** Linked examples are attributed to their transcript in the Markdown codebook. */
async function segmentSources(codes: readonly Code[]): Promise<(segmentId: string) => string | null> {
  const ids = codes.flatMap((c) => c.examples.map((e) => e.segmentId)).filter((id): id is string => id !== null);
  const found = ids.length === 0 ? new Map() : await loadSegmentsById(db, ids);
  return (id) => found.get(id)?.documentTitle ?? null;
}


/** The codebook out of Cartography (a spreadsheet, a text for papers, or a file other QDA tools read), and back in (CodebookImport). */
export function CodebookExport({ core, counts }: { core: StudyCore; counts: ReadonlyMap<string, number> | undefined }) {
  const { notify } = useNotices();
  const save = async (format: Format) => {
    const { study, stages, codes } = core;
    const text =
      format === 'csv'
        ? codebookToCsv(stages, codes)
        : format === 'md'
          ? codebookToMarkdown(study.name, stages, codes, counts, { describeSegment: await segmentSources(codes) })
          : codebookToQdc(stages, codes, { origin: `Cartography ${__APP_VERSION__}` });
    const { extension, filter } = FORMATS[format];
    try {
      const result = await platform.saveFile({
        title: 'Export codebook',
        suggestedName: `${fileStem(study.name, 'codebook')}-codebook.${extension}`,
        filters: [{ name: filter, extensions: [extension] }],
        bytes: new TextEncoder().encode(text),
      });
      if (result.saved) notify('info', `Exported the codebook as ${FORMATS[format].label}`, result.path ?? 'Saved to your downloads.');
    } catch (error) {
      notify('error', 'The codebook could not be exported', (error as Error).message);
    }
  };
  return (
    <div className="toolbar codebook-exchange">
      <div className="toolbar" role="group" aria-label="Export the codebook">
        <span className="hint">Export:</span>
        {(Object.keys(FORMATS) as Format[]).map((format) => (
          <button key={format} type="button" onClick={() => void save(format)}>
            {FORMATS[format].label}
          </button>
        ))}
      </div>
      <CodebookImport core={core} />
    </div>
  );
}
