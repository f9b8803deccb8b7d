/**
 * Cross-project comparison: cases (or participants, documents) × codes, case attributes ×
 * codes, challenges and on-ramps per stage, and code co-occurrence. Every number comes from
 * shared/analysis; a cell opens the segments behind it; a configuration can be saved by
 * name; every matrix exports as CSV, Excel, SVG, PNG or tab-separated text.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo, useState, type ReactNode } from 'react';
import { attributeByCodeMatrix, attributeGroups, caseByCodeMatrix, cellSegments, codeColumns } from '../../../shared/analysis/matrix.ts';
import { codeCooccurrence, cooccurrenceSegments } from '../../../shared/analysis/cooccurrence.ts';
import { MATRIX_METRICS, METRIC_LABELS, type Matrix, type MatrixFilters, type MatrixMetric, type MatrixSource, type RowDimension } from '../../../shared/analysis/matrix-types.ts';
import { CODE_KIND_LABELS, CODE_KINDS, OPENNESS_COMPONENTS, OPENNESS_LABELS, type CodeKind } from '../../../shared/model/types.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { TabList } from '../../components/TabList.tsx';
import type { StudyCore } from '../../data/hooks.ts';
import { db } from '../../data/instance.ts';
import { loadMatrixSource } from '../../data/matrices.ts';
import { DrillDown, type DrillItem } from './DrillDown.tsx';
import { MatrixExport } from './MatrixExport.tsx';
import { Check, FilterBar, Select } from './MatrixControls.tsx';
import { HeatLegend, MatrixTable, type MatrixSort } from './MatrixTable.tsx';
import { SavedViews } from './SavedViews.tsx';
import { StageKindView } from './StageKindView.tsx';
import './matrices.css';

export const MATRIX_VIEWS = [
  { id: 'cases', label: 'Cases × codes' },
  { id: 'attributes', label: 'Attributes × codes' },
  { id: 'stages', label: 'Stages × kinds' },
  { id: 'cooccurrence', label: 'Co-occurrence' },
] as const;
type ViewId = (typeof MATRIX_VIEWS)[number]['id'];

export interface MatrixConfig {
  view: ViewId;
  rows: RowDimension;
  metric: MatrixMetric;
  collapsed: string[];
  includeSubcodes: boolean;
  stageId: string;
  kind: CodeKind | 'all';
  hideEmptyRows: boolean;
  hideEmptyColumns: boolean;
  sort: MatrixSort | null;
  attributeId: string;
  attributeMetric: 'segments' | 'presence' | 'participants' | 'words';
  normalise: boolean;
  compareA: string;
  compareB: string;
  coMode: 'segment' | 'overlap' | 'document';
  coMeasure: 'count' | 'jaccard';
  filters: MatrixFilters;
}

export const DEFAULT_CONFIG: MatrixConfig = {
  view: 'cases',
  rows: 'case',
  metric: 'segments',
  collapsed: [],
  includeSubcodes: false,
  stageId: 'all',
  kind: 'all',
  hideEmptyRows: false,
  hideEmptyColumns: false,
  sort: null,
  attributeId: '',
  attributeMetric: 'presence',
  normalise: true,
  compareA: '',
  compareB: '',
  coMode: 'segment',
  coMeasure: 'count',
  filters: {},
};

const ROW_LABELS: Record<RowDimension, string> = { case: 'Cases', participant: 'Participants', document: 'Documents' };

export function MatricesArea({ core }: { core: StudyCore }) {
  const { study } = core;
  const source = useLiveQuery(() => loadMatrixSource(db, study.id), [study.id]);
  const [config, setConfig] = useState<MatrixConfig>(DEFAULT_CONFIG);
  const set = (patch: Partial<MatrixConfig>) => setConfig((c) => ({ ...c, ...patch }));

  if (!source) return <p aria-busy="true">Counting codings…</p>;
  if (source.codings.length === 0) {
    return (
      <EmptyState title="Nothing to compare yet">
        <p>Matrices compare which challenges and on-ramps appear in which projects, at which stage. They fill in as transcripts are coded.</p>
      </EmptyState>
    );
  }

  return (
    <div className="matrices">
      <header className="area-header">
        <h1>Matrices</h1>
        <p className="lead">Where do the projects differ? Compare codes across cases, case attributes and lifecycle stages; choose a cell to read the segments behind it.</p>
        <SavedViews studyId={study.id} config={config} onOpen={(saved) => setConfig({ ...DEFAULT_CONFIG, ...(saved as Partial<MatrixConfig>) })} />
      </header>
      <TabList tabs={MATRIX_VIEWS} value={config.view} onChange={(view) => set({ view })} label="Matrix" idPrefix="matrix-tab" panelId="matrix-panel" />
      <section id="matrix-panel" role="tabpanel" aria-labelledby={`matrix-tab-${config.view}`} className="matrix-panel">
        <FilterBar source={source} coders={core.coders} filters={config.filters} onChange={(filters) => set({ filters })} />
        {config.view === 'cases' && <CaseCodeView source={source} core={core} config={config} set={set} />}
        {config.view === 'attributes' && <AttributeView source={source} core={core} config={config} set={set} />}
        {config.view === 'stages' && <StageKindView source={source} core={core} filters={config.filters} />}
        {config.view === 'cooccurrence' && <CooccurrenceView source={source} core={core} config={config} set={set} />}
      </section>
    </div>
  );
}

interface ViewProps {
  source: MatrixSource;
  core: StudyCore;
  config: MatrixConfig;
  set: (patch: Partial<MatrixConfig>) => void;
}

function scopeOptions(core: StudyCore) {
  return {
    stages: [{ value: 'all', label: 'All stages' }, ...core.stages.map((s) => ({ value: s.id, label: s.name })), { value: 'cross', label: 'Cross-stage' }],
    kinds: [{ value: 'all' as const, label: 'All kinds' }, ...CODE_KINDS.map((k) => ({ value: k, label: CODE_KIND_LABELS[k] }))],
  };
}
const stageScope = (value: string) => (value === 'all' ? 'all' : value === 'cross' ? null : value);
const stageNamesOf = (core: StudyCore) => new Map<string | null, string>([...core.stages.map((s) => [s.id, s.name] as [string, string]), [null, 'Cross-stage']]);

/** Cases, participants or documents × codes. */
function CaseCodeView({ source, core, config, set }: ViewProps) {
  const [cell, setCell] = useState<{ row: number; column: number } | null>(null);
  const columns = useMemo(
    () => codeColumns(source, { collapsed: new Set(config.collapsed), includeSubcodes: config.includeSubcodes, stageId: stageScope(config.stageId), kind: config.kind }),
    [source, config.collapsed, config.includeSubcodes, config.stageId, config.kind],
  );
  const { rows, metric, filters, hideEmptyRows, hideEmptyColumns, sort } = config;
  const request = useMemo(() => ({ rows, metric, columns, filters, hideEmptyRows, hideEmptyColumns, sortBy: sort ?? undefined }), [rows, metric, columns, filters, hideEmptyRows, hideEmptyColumns, sort]);
  const matrix = useMemo(() => caseByCodeMatrix(source, request), [source, request]);
  const drill = useMemo<DrillItem[] | null>(() => (cell && matrix.rows[cell.row] && matrix.columns[cell.column] ? cellSegments(source, request, matrix.rows[cell.row]!.key, matrix.columns[cell.column]!.key) : null), [cell, matrix, source, request]);
  const { stages, kinds } = scopeOptions(core);
  const toggle = (key: string, collapse: boolean) => set({ collapsed: collapse ? [...config.collapsed.filter((k) => k !== key), key] : config.collapsed.filter((k) => k !== key) });
  const title = `${ROW_LABELS[config.rows]} × codes: ${METRIC_LABELS[config.metric].toLowerCase()}`;
  return (
    <>
      <div className="matrix-controls">
        <Select label="Rows" value={config.rows} options={(['case', 'participant', 'document'] as const).map((r) => ({ value: r, label: ROW_LABELS[r] }))} onChange={(rows) => (set({ rows, sort: null }), setCell(null))} />
        <Select label="Cell" value={config.metric} options={MATRIX_METRICS.map((m) => ({ value: m, label: METRIC_LABELS[m] }))} onChange={(metric) => set({ metric })} />
        <Select label="Stage" value={config.stageId} options={stages} onChange={(stageId) => (set({ stageId }), setCell(null))} />
        <Select label="Kind" value={config.kind} options={kinds} onChange={(kind) => (set({ kind }), setCell(null))} />
        <Check label="Count sub-codes with their parent" checked={config.includeSubcodes} onChange={(includeSubcodes) => set({ includeSubcodes })} />
        <Check label="Hide empty rows" checked={config.hideEmptyRows} onChange={(hideEmptyRows) => (set({ hideEmptyRows }), setCell(null))} />
        <Check label="Hide empty columns" checked={config.hideEmptyColumns} onChange={(hideEmptyColumns) => (set({ hideEmptyColumns }), setCell(null))} />
        {config.collapsed.length > 0 && (
          <button type="button" className="quiet" onClick={() => set({ collapsed: [] })}>
            Expand all columns
          </button>
        )}
      </div>
      <MatrixFrame matrix={matrix} title={title} fileStem={`${core.study.name}-${config.rows}s-by-code`} stageNames={stageNamesOf(core)}>
        <MatrixTable
          matrix={matrix}
          label={title}
          sort={config.sort}
          onSort={(sort) => (set({ sort }), setCell(null))}
          onToggleGroup={toggle}
          onCell={(row, column) => setCell({ row, column })}
          selected={cell}
          stageNames={stageNamesOf(core)}
        />
      </MatrixFrame>
      {cell && drill && <DrillDown studyId={core.study.id} items={drill} title={`${matrix.rows[cell.row]!.label} × ${matrix.columns[cell.column]!.namePath.join(' › ')}`} onClose={() => setCell(null)} />}
    </>
  );
}

/** Case attributes (or an openness component) × codes, with groups compared. */
function AttributeView({ source, core, config, set }: ViewProps) {
  const [cell, setCell] = useState<{ row: number; column: number } | null>(null);
  const choices = [...core.attributes.map((a) => ({ value: a.id, label: a.name })), ...OPENNESS_COMPONENTS.map((c) => ({ value: `openness:${c}`, label: `Openness: ${OPENNESS_LABELS[c]}` }))];
  const attributeId = choices.some((c) => c.value === config.attributeId) ? config.attributeId : (choices[0]?.value ?? '');
  const columns = useMemo(() => codeColumns(source, { collapsed: new Set(config.collapsed), includeSubcodes: config.includeSubcodes, stageId: stageScope(config.stageId), kind: config.kind }), [source, config.collapsed, config.includeSubcodes, config.stageId, config.kind]);
  const groups = useMemo(() => (attributeId ? attributeGroups(source, attributeId, config.filters) : []), [source, attributeId, config.filters]);
  const { compareA, compareB, attributeMetric, normalise, filters } = config;
  const comparing = compareA !== '' && compareB !== '' && compareA !== compareB && groups.some((g) => g.key === compareA) && groups.some((g) => g.key === compareB);
  const request = useMemo(
    () => ({ attributeId, metric: attributeMetric, normalise, columns, filters, compare: comparing ? ([compareA, compareB] as const) : undefined }),
    [attributeId, attributeMetric, normalise, columns, filters, comparing, compareA, compareB],
  );
  const compare = request.compare;
  const matrix = useMemo(() => (attributeId ? attributeByCodeMatrix(source, request) : null), [source, attributeId, request]);
  const { stages, kinds } = scopeOptions(core);
  if (!matrix) return <p className="hint">The study has no case attributes yet. Add them in Cases.</p>;
  const toggle = (key: string, collapse: boolean) => set({ collapsed: collapse ? [...config.collapsed.filter((k) => k !== key), key] : config.collapsed.filter((k) => k !== key) });
  const drill = cell && matrix.rows[cell.row] && matrix.columns[cell.column] ? cellSegments(source, request, matrix.rows[cell.row]!.key, matrix.columns[cell.column]!.key) : null;
  const unit = config.attributeMetric === 'presence' ? (config.normalise ? 'share of cases in the group' : 'cases in the group') : config.normalise ? `${config.attributeMetric} per case` : config.attributeMetric;
  const title = `${choices.find((c) => c.value === attributeId)?.label ?? 'Attribute'} × codes: ${unit}`;
  return (
    <>
      <div className="matrix-controls">
        <Select label="Group cases by" value={attributeId} options={choices} onChange={(value) => (set({ attributeId: value, compareA: '', compareB: '' }), setCell(null))} />
        <Select
          label="Cell"
          value={config.attributeMetric}
          options={[
            { value: 'presence', label: 'Cases where the code appears' },
            { value: 'segments', label: 'Coded segments' },
            { value: 'participants', label: 'Participants who mention it' },
            { value: 'words', label: 'Words coded' },
          ]}
          onChange={(attributeMetric) => set({ attributeMetric })}
        />
        <Check label="Divide by the number of cases in the group" checked={config.normalise} onChange={(normalise) => set({ normalise })} />
        <Select label="Stage" value={config.stageId} options={stages} onChange={(stageId) => set({ stageId })} />
        <Select label="Kind" value={config.kind} options={kinds} onChange={(kind) => set({ kind })} />
        <Select label="Compare" value={config.compareA} options={[{ value: '', label: 'All groups' }, ...groups.map((g) => ({ value: g.key, label: g.label }))]} onChange={(compareA) => (set({ compareA }), setCell(null))} />
        <Select label="with" value={config.compareB} options={[{ value: '', label: '—' }, ...groups.map((g) => ({ value: g.key, label: g.label }))]} onChange={(compareB) => (set({ compareB }), setCell(null))} />
      </div>
      <MatrixFrame matrix={matrix} title={title} fileStem={`${core.study.name}-attribute-by-code`} stageNames={stageNamesOf(core)}>
        <MatrixTable matrix={matrix} label={title} onToggleGroup={toggle} onCell={(row, column) => setCell({ row, column })} selected={cell} plainRows={compare ? new Set([2]) : undefined} stageNames={stageNamesOf(core)} decimals={2} totals={!compare} />
      </MatrixFrame>
      {cell && drill && <DrillDown studyId={core.study.id} items={drill} title={`${matrix.rows[cell.row]!.label} × ${matrix.columns[cell.column]!.namePath.join(' › ')}`} onClose={() => setCell(null)} />}
    </>
  );
}

/** Codes × codes. */
function CooccurrenceView({ source, core, config, set }: ViewProps) {
  const [cell, setCell] = useState<{ row: number; column: number } | null>(null);
  const { stages, kinds } = scopeOptions(core);
  const { coMode, coMeasure, filters, stageId, kind } = config;
  const options = useMemo(() => ({ mode: coMode, measure: coMeasure, filters, stageId: stageScope(stageId), kind }), [coMode, coMeasure, filters, stageId, kind]);
  const matrix = useMemo(() => codeCooccurrence(source, options), [source, options]);
  const drill = cell && matrix.rows[cell.row] && matrix.columns[cell.column] ? cooccurrenceSegments(source, options, matrix.rows[cell.row]!.key, matrix.columns[cell.column]!.key) : null;
  const title = `Code co-occurrence: ${config.coMode === 'segment' ? 'on the same segment' : config.coMode === 'overlap' ? 'on overlapping segments' : 'in the same document'} (${config.coMeasure === 'count' ? 'counts' : 'Jaccard index'})`;
  return (
    <>
      <div className="matrix-controls">
        <Select
          label="Together"
          value={config.coMode}
          options={[
            { value: 'segment', label: 'On the same segment' },
            { value: 'overlap', label: 'On overlapping segments' },
            { value: 'document', label: 'In the same document' },
          ]}
          onChange={(coMode) => (set({ coMode }), setCell(null))}
        />
        <Select
          label="Measure"
          value={config.coMeasure}
          options={[
            { value: 'count', label: 'Counts' },
            { value: 'jaccard', label: 'Jaccard index' },
          ]}
          onChange={(coMeasure) => set({ coMeasure })}
        />
        <Select label="Stage" value={config.stageId} options={stages} onChange={(stageId) => (set({ stageId }), setCell(null))} />
        <Select label="Kind" value={config.kind} options={kinds} onChange={(kind) => (set({ kind }), setCell(null))} />
      </div>
      <MatrixFrame matrix={matrix} title={title} fileStem={`${core.study.name}-code-cooccurrence`}>
        <MatrixTable matrix={matrix} label={title} onCell={(row, column) => setCell({ row, column })} selected={cell} decimals={3} totals={false} />
      </MatrixFrame>
      {cell && drill && <DrillDown studyId={core.study.id} items={drill} title={`${matrix.rows[cell.row]!.label} with ${matrix.columns[cell.column]!.label}`} onClose={() => setCell(null)} />}
    </>
  );
}

function MatrixFrame({ matrix, title, fileStem, stageNames, children }: { matrix: Matrix; title: string; fileStem: string; stageNames?: ReadonlyMap<string | null, string>; children: ReactNode }) {
  return (
    <div className="matrix-frame">
      <div className="matrix-frame-head">
        <p className="matrix-size">
          {matrix.rows.length} rows × {matrix.columns.length} columns
        </p>
        {matrix.max > 0 && <HeatLegend max={matrix.max} unit={matrix.unit} />}
        <MatrixExport matrix={matrix} title={title} fileStem={fileStem} totals stageName={stageNames ? (id: string | null) => stageNames.get(id) ?? 'Stage' : undefined} />
      </div>
      {matrix.rows.length === 0 || matrix.columns.length === 0 ? (
        <p className="hint">Nothing to show: the filters or the choice of stage and kind leave no codings. Clear a filter or choose all stages.</p>
      ) : (
        <div className="matrix-scroll" role="region" aria-label={`${title}, scrollable`} tabIndex={-1}>
          {children}
        </div>
      )}
    </div>
  );
}
