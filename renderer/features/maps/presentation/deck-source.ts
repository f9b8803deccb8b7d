/**
 * What the presentation reads, put together from the Maps area's source and the study's
 * codes: the deck's source, the maps each slide shows (as SVG documents, per theme), and the
 * segments a researcher may pick as a code's exemplar quote. Plain functions, no React.
 */
import type { Deck, DeckSource, Slide } from '../../../../shared/maps/deck.ts';
import { lifecycleLayout, lifecycleMapToSvg, type LifecycleLayout } from '../../../../shared/maps/lifecycle-layout.ts';
import { networkLayout, networkToSvg } from '../../../../shared/maps/network-layout.ts';
import { pseudonymsOf, quoteAttribution } from '../../../../shared/maps/positions.ts';
import type { MapTheme } from '../../../../shared/maps/svg.ts';
import { compareText, oneLine } from '../../../../shared/maps/text.ts';
import type { Code, Guid } from '../../../../shared/model/types.ts';
import type { MapSource } from '../../../data/maps.ts';

/** The deck's source: the map source with each code's mode, order and examples (from the study's codes). */
export function deckSourceOf(studyName: string, codes: readonly Code[], source: MapSource): DeckSource {
  const full = new Map(codes.map((c) => [c.id, c]));
  return {
    study: { name: studyName },
    stages: source.stages,
    cases: source.cases,
    participants: source.participants,
    documents: source.documents,
    segments: source.segments,
    codings: source.codings,
    actors: source.actors,
    ties: source.ties,
    // A code the map source has but the study's codes not yet (a live query a moment behind) counts as neutral.
    codes: source.codes.map((c) => {
      const code = full.get(c.id);
      return { id: c.id, name: c.name, stageId: c.stageId, kind: c.kind, order: c.order, mode: code?.mode ?? 'neutral', examples: code?.examples ?? [] };
    }),
  };
}

/** The map a slide shows, or null for slides without one. */
export function mapKindOf(slide: Slide): 'lifecycle' | 'network' | null {
  return slide.kind === 'stage-map' ? 'lifecycle' : slide.kind === 'network' ? 'network' : null;
}

/** The box a slide's map is drawn in, in px of the 1280 × 720 slide (slide-svg.ts and Slide.tsx share it). */
export const SLIDE_MAP_BOX = { width: 1152, height: 430 } as const;
const PLOT_HEIGHTS = [300, 360, 420, 480, 540] as const;

/**
 * The lifecycle layout that reads largest in a slide's map box: a taller plot spreads crowded
 * stage columns over fewer sub-columns (narrower), a shorter one leaves more width; the plot
 * height whose map (without its legend) scales up most wins, the default on ties.
 */
export function slideLifecycleLayout(deck: Pick<Deck, 'positions'>): LifecycleLayout {
  let best: { layout: LifecycleLayout; scale: number } | null = null;
  for (const plotHeight of [360, ...PLOT_HEIGHTS.filter((h) => h !== 360)]) {
    const layout = lifecycleLayout(deck.positions, { plotHeight });
    const scale = Math.min(SLIDE_MAP_BOX.width / layout.width, SLIDE_MAP_BOX.height / layout.height);
    if (!best || scale > best.scale + 0.01) best = { layout, scale };
  }
  return best!.layout;
}

/**
 * The lifecycle map cut to its plot (stage names, columns, nodes with their labels, medians):
 * without its title line, legend, key and formula, which a slide says itself or needs not
 * (every node is labelled with its case). The cut is the root's viewBox.
 */
export function cropToPlot(svg: string, layout: Pick<LifecycleLayout, 'width' | 'height'>): string {
  const offset = Number(/<g transform="translate\(0 ([\d.]+)\)">/.exec(svg)?.[1] ?? 'NaN');
  const open = /<svg\b[^>]*>/.exec(svg);
  if (!open || !Number.isFinite(offset)) return svg;
  const width = Math.ceil(Math.max(layout.width, 1));
  const height = Math.ceil(layout.height);
  const root = open[0]
    .replace(/\swidth="[^"]*"/, ` width="${width}"`)
    .replace(/\sheight="[^"]*"/, ` height="${height}"`)
    .replace(/\sviewBox="[^"]*"/, ` viewBox="0 ${offset} ${width} ${height}"`);
  return svg.slice(0, open.index) + root + svg.slice(open.index + open[0].length);
}

/**
 * The SVG of the map a slide shows: the lifecycle map with the slide's stage shaded, or the
 * network of every stage's ties; `variant` "slide" cuts the lifecycle map to its plot (for
 * the slide), "file" keeps its legend, key and formula (for the PNG and SVG files). null for
 * slides without a map.
 */
export function slideMapSvg(slide: Slide, deck: Deck, source: DeckSource, theme: MapTheme, variant: 'slide' | 'file' = 'file', layout?: LifecycleLayout): string | null {
  if (slide.kind === 'stage-map') {
    const caseName = new Map(source.cases.map((c) => [c.id, c.name]));
    const lifecycle = layout ?? slideLifecycleLayout(deck);
    const svg = lifecycleMapToSvg(lifecycle, {
      title: `${oneLine(source.study.name)} — ${oneLine(slide.body.stageName)}`,
      labelOf: (id) => caseName.get(id) ?? '',
      theme,
      focusStageId: slide.body.stageId,
    });
    return variant === 'slide' ? cropToPlot(svg, lifecycle) : svg;
  }
  if (slide.kind === 'network') {
    const network = networkLayout({ stages: source.stages, actors: source.actors, ties: source.ties });
    return networkToSvg(network, { title: `${oneLine(source.study.name)} — collaboration network`, theme });
  }
  return null;
}

/** Every map of the deck's slides, by slide id, in one variant (see `slideMapSvg`). */
export function deckMapSvgs(deck: Deck, source: DeckSource, theme: MapTheme, variant: 'slide' | 'file'): Map<string, string> {
  const out = new Map<string, string>();
  const layout = deck.slides.some((e) => e.slide.kind === 'stage-map') ? slideLifecycleLayout(deck) : undefined;
  for (const { slide } of deck.slides) {
    const svg = slideMapSvg(slide, deck, source, theme, variant, layout);
    if (svg !== null) out.set(slide.id, svg);
  }
  return out;
}

/** An SVG document as a data: URL (the CSP allows img-src data:; an SVG shown as an image runs no script). */
export function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

export interface QuoteCandidate {
  segmentId: Guid;
  text: string;
  /** "P03 (Case)": pseudonyms and case only. */
  attribution: string;
  documentTitle: string;
}

/** The segments coded with a code (any coder), in reading order (document title, start, id), attributed by pseudonym and case. */
export function quoteCandidates(source: DeckSource, codeId: Guid): QuoteCandidate[] {
  const segmentById = new Map(source.segments.map((s) => [s.id, s]));
  const documentById = new Map(source.documents.map((d) => [d.id, d]));
  const caseName = new Map(source.cases.map((c) => [c.id, c.name]));
  const ids = new Set(source.codings.filter((c) => c.codeId === codeId && segmentById.has(c.segmentId)).map((c) => c.segmentId));
  return [...ids]
    .map((id) => {
      const segment = segmentById.get(id)!;
      const document = documentById.get(segment.documentId);
      const name = document?.caseId ? (caseName.get(document.caseId) ?? null) : null;
      return { segment, document, attribution: quoteAttribution(pseudonymsOf(source, document), name) };
    })
    .sort(
      (a, b) =>
        compareText(a.document?.title ?? '', b.document?.title ?? '') ||
        compareText(a.segment.documentId, b.segment.documentId) ||
        a.segment.start - b.segment.start ||
        compareText(a.segment.id, b.segment.id),
    )
    .map(({ segment, document, attribution }) => ({ segmentId: segment.id, text: segment.text, attribution, documentTitle: document?.title ?? '' }));
}

