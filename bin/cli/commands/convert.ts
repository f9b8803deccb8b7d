/**
 * `cartography convert IN OUT`: the output format is OUT's extension. Every output is made
 * in memory first and written in one atomic step, so a conversion that fails writes nothing.
 *
 * What is possible: a study file or a project converts to all four formats; a codebook
 * (.qdc, codebook CSV) converts to .qdc, codebook CSV, a study file holding only the
 * codebook, or a .qdpx holding only the codebook. A codebook has no codings, so a codings
 * table from it is refused.
 */
import { codebookToCsv } from '../../../shared/codebook/csv.ts';
import { codebookToQdc } from '../../../shared/codebook/qdc.ts';
import { codingsToCsv } from '../../../shared/formats/codings-csv.ts';
import { studyToQdpxWithReport } from '../../../shared/refi/qdpx.ts';
import { writeStudyFile } from '../../../shared/study-file/write.ts';
import { expectPositionals, parseCommandArgs, stringOption } from '../args.ts';
import { CliError, q, UsageError } from '../errors.ts';
import type { CliIo } from '../io.ts';
import { FORMAT_NAMES, readInput, type Input } from '../input.ts';
import { ORIGIN } from '../version.ts';

export type OutputFormat = 'native' | 'qdpx' | 'qdc' | 'csv';
export type CsvTable = 'codebook' | 'codings';

const OUTPUT_EXTENSIONS = '.cartography.json (or .json), .qdpx, .qdc or .csv';

export function outputFormat(path: string): OutputFormat | null {
  const name = path.toLowerCase();
  if (name.endsWith('.json')) return 'native';
  if (name.endsWith('.qdpx')) return 'qdpx';
  if (name.endsWith('.qdc')) return 'qdc';
  if (name.endsWith('.csv')) return 'csv';
  return null;
}

/** The table a .csv output holds: --table, else OUT's name, else what the input holds (see the usage). */
export function csvTable(outPath: string, asked: string | undefined, input: Pick<Input, 'codebookOnly'>): CsvTable {
  if (asked !== undefined) return asked as CsvTable;
  const name = outPath.toLowerCase();
  if (name.endsWith('.codings.csv')) return 'codings';
  if (name.endsWith('.codebook.csv')) return 'codebook';
  return input.codebookOnly ? 'codebook' : 'codings';
}

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

/** The output's bytes, and notes for standard error (what the format could not carry). */
export function convertInput(input: Input, outPath: string, format: OutputFormat, options: { table: CsvTable; utf16: boolean }): { bytes: Uint8Array; notes: string[] } {
  const { records } = input;
  switch (format) {
    case 'native':
      // A study file's settings (saved views, pinned exemplars, …) go with it, as the app exports them.
      return { bytes: encode(JSON.stringify(writeStudyFile(records, input.settings), null, 1)), notes: [] };
    case 'qdpx': {
      const { bytes, omitted } = studyToQdpxWithReport(records, { origin: ORIGIN, positions: options.utf16 ? 'utf16' : 'code-points' });
      return { bytes, notes: omitted.map((o) => `not carried by .qdpx: ${o}`) };
    }
    case 'qdc':
      return { bytes: encode(codebookToQdc(records.stages, records.codes, { origin: ORIGIN })), notes: [] };
    case 'csv':
      if (options.table === 'codebook') return { bytes: encode(codebookToCsv(records.stages, records.codes)), notes: [] };
      if (input.codebookOnly) {
        throw new CliError(
          `${q(input.path)} is ${FORMAT_NAMES[input.format]}: it has codes but no codings, so there is no codings table to write to ${q(outPath)}.\n` +
            'Write its codebook table instead (--table codebook), or convert the study file or .qdpx project that holds the codings.',
        );
      }
      return { bytes: encode(codingsToCsv(records)), notes: [] };
  }
}

export async function convertCommand(args: readonly string[], io: CliIo): Promise<void> {
  const { positionals, values } = parseCommandArgs('convert', args, { table: { type: 'string' }, 'utf16-positions': { type: 'boolean' } });
  const [inPath, outPath] = expectPositionals('convert', positionals, ['IN', 'OUT']) as [string, string];
  const format = outputFormat(outPath);
  if (format === null) throw new UsageError(`convert: cannot tell the format of ${q(outPath)} from its name: end it in ${OUTPUT_EXTENSIONS}.`, 'convert');
  const table = stringOption(values, 'table');
  if (table !== undefined && table !== 'codebook' && table !== 'codings') throw new UsageError(`convert: --table must be codebook or codings, not ${q(table)}.`, 'convert');
  if (table !== undefined && format !== 'csv') throw new UsageError(`convert: --table applies to a .csv output only, and ${q(outPath)} is not one.`, 'convert');
  if (values['utf16-positions'] === true && format !== 'qdpx') throw new UsageError(`convert: --utf16-positions applies to a .qdpx output only, and ${q(outPath)} is not one.`, 'convert');

  const input = await readInput(inPath, io);
  const { bytes, notes } = convertInput(input, outPath, format, { table: csvTable(outPath, table, input), utf16: values['utf16-positions'] === true });
  await io.writeFile(outPath, bytes);
  for (const note of notes) io.stderr(`note: ${note}\n`);
}
