/**
 * The map images of the codebook report: the lifecycle (cathedral–bazaar) map drawn exactly
 * as the Maps area exports it (shared/maps positions, layout and SVG; svgToPng for the PNG),
 * over the stages chosen for the report. The SVG goes with the PNG, so the HTML report can
 * keep the picture as vectors.
 */
import { defaultCaseColors, lifecycleLayout, lifecycleMapToSvg } from '../../../shared/maps/lifecycle-layout.ts';
import { computePositions, type MapCode, type PositionSource } from '../../../shared/maps/positions.ts';
import type { Guid } from '../../../shared/model/types.ts';
import type { ReportImage } from '../../../shared/reports/report-parts.ts';
import type { CartographyDb } from '../../data/db.ts';
import { loadMapSource } from '../../data/maps.ts';
import { svgSize, svgToPng } from '../matrices/image-export.ts';

/** A case's name on the map, without what follows in brackets ("OLMo (AI2)" → "OLMo"), as in the Maps area. */
const shortName = (name: string) => name.replace(/\s*\([^)]*\)\s*$/, '') || name;

/** The lifecycle map over the chosen stages (none chosen, or a study without stages: no image). */
export async function lifecycleMapImages(db: CartographyDb, studyId: Guid, studyName: string, stageIds: ReadonlySet<Guid>): Promise<ReportImage[]> {
  const source = await loadMapSource(db, studyId);
  const stages = source.stages.filter((s) => stageIds.has(s.id));
  if (stages.length === 0) return [];
  const cases = [...source.cases].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  const positionSource: PositionSource = { ...source, codes: source.codes as unknown as MapCode[], cases };
  const overrides = source.overrides.map((o) => ({ caseId: o.caseId, stageId: o.stageId, value: o.value, justification: o.justification, memoId: o.memoId }));
  const positions = computePositions(positionSource, { overrides }).positions.filter((p) => stageIds.has(p.stageId));
  const caseName = new Map(cases.map((c) => [c.id, c.name]));
  const layout = lifecycleLayout({ stages, cases, positions }, { plotHeight: 480, labelOf: (id) => shortName(caseName.get(id) ?? ''), maxLabelWidth: 140 });
  const colors = defaultCaseColors(source.cases);
  const some = stages.length < source.stages.length;
  const stageList = stages.map((s) => s.name).join(', ');
  const svg = lifecycleMapToSvg(layout, {
    title: `${studyName}: cathedrals and bazaars across the lifecycle`,
    labelOf: (id) => caseName.get(id) ?? '',
    colorOf: (id) => colors.get(id) ?? '#888888',
    theme: 'light',
    notes: some ? [`Stages shown: ${stageList}`] : [],
  });
  const { width, height } = svgSize(svg);
  return [
    {
      title: 'Cathedrals and bazaars across the lifecycle',
      caption: `each case placed in each stage by its coded evidence (${some ? `stages: ${stageList}` : 'all stages'})`,
      png: await svgToPng(svg, 2),
      width,
      height,
      svg,
    },
  ];
}
