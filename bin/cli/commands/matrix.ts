/**
 * `cartography matrix IN -o OUT.csv`: a comparison matrix as the app's Matrices screen
 * exports it to CSV (matrixToCsv with totals), over every code column (no stage collapsed,
 * no filter), computed by the same functions from the same kind of source.
 */
import { attributeByCodeMatrix, caseByCodeMatrix, codeColumns } from '../../../shared/analysis/matrix.ts';
import { matrixSourceFromRecords } from '../../../shared/analysis/matrix-source.ts';
import type { Matrix, RowDimension } from '../../../shared/analysis/matrix-types.ts';
import { matrixToCsv } from '../../../shared/formats/matrix-export.ts';
import type { StudyRecords } from '../../../shared/model/types.ts';
import { expectPositionals, parseCommandArgs, stringOption } from '../args.ts';
import { CliError, q, UsageError } from '../errors.ts';
import type { CliIo } from '../io.ts';
import { FORMAT_NAMES, readInput } from '../input.ts';

export const CLI_METRICS = ['segments', 'participants', 'presence'] as const;
export type CliMetric = (typeof CLI_METRICS)[number];
export type MatrixRows = { kind: 'dimension'; rows: RowDimension } | { kind: 'attribute'; name: string };

export function parseRows(value: string | undefined): MatrixRows {
  if (value === undefined || value === 'case' || value === 'participant' || value === 'document') return { kind: 'dimension', rows: (value ?? 'case') as RowDimension };
  const attribute = /^attribute:(.+)$/s.exec(value);
  if (attribute && attribute[1]!.trim() !== '') return { kind: 'attribute', name: attribute[1]!.trim() };
  throw new UsageError(`matrix: --rows must be case, participant, document or attribute:NAME, not ${q(value)}.`, 'matrix');
}

/** The matrix the app would show for these rows and metric, over every code column. */
export function studyMatrix(records: StudyRecords, rows: MatrixRows, metric: CliMetric, options: { normalise: boolean; inputPath: string }): Matrix {
  const source = matrixSourceFromRecords(records);
  const columns = codeColumns(source);
  if (rows.kind === 'dimension') return caseByCodeMatrix(source, { rows: rows.rows, metric, columns });
  const wanted = rows.name.toLowerCase();
  const attribute = source.attributes.find((a) => a.name.toLowerCase() === wanted);
  if (!attribute) {
    const known = source.attributes.map((a) => q(a.name)).join(', ');
    throw new CliError(`${q(options.inputPath)} has no case attribute named ${q(rows.name)}. ${known === '' ? 'It has no case attributes.' : `Its attributes: ${known}.`}`);
  }
  return attributeByCodeMatrix(source, { attributeId: attribute.id, metric, normalise: options.normalise, columns });
}

export async function matrixCommand(args: readonly string[], io: CliIo): Promise<void> {
  const { positionals, values } = parseCommandArgs('matrix', args, {
    output: { type: 'string', short: 'o' },
    rows: { type: 'string' },
    metric: { type: 'string' },
    normalise: { type: 'boolean' },
  });
  const [inPath] = expectPositionals('matrix', positionals, ['IN']) as [string];
  const outPath = stringOption(values, 'output');
  if (outPath === undefined) throw new UsageError('matrix: missing -o OUT.csv, the file to write.', 'matrix');
  if (!outPath.toLowerCase().endsWith('.csv')) throw new UsageError(`matrix: the matrix is written as CSV: end ${q(outPath)} in .csv.`, 'matrix');
  const rows = parseRows(stringOption(values, 'rows'));
  const metric = stringOption(values, 'metric') ?? 'segments';
  if (!(CLI_METRICS as readonly string[]).includes(metric)) throw new UsageError(`matrix: --metric must be segments, participants or presence, not ${q(metric)}.`, 'matrix');
  if (values['normalise'] === true && rows.kind !== 'attribute') throw new UsageError('matrix: --normalise applies to attribute rows only (--rows attribute:NAME).', 'matrix');

  const input = await readInput(inPath, io);
  if (input.codebookOnly) {
    throw new CliError(`${q(inPath)} is ${FORMAT_NAMES[input.format]}: it has no cases and no codings to count. Give the study file or .qdpx project that holds them.`);
  }
  const matrix = studyMatrix(input.records, rows, metric as CliMetric, { normalise: values['normalise'] === true, inputPath: inPath });
  await io.writeFile(outPath, new TextEncoder().encode(matrixToCsv(matrix, { totals: true })));
}
