/**
 * One slide on a 16:9 stage, for the editor's preview and for presenting. Type is sized in
 * container units of the slide (cqw: 1 % of its width), so the same slide reads the same in a
 * small preview and on a projector; the proportions and colours are those of the PDF's slide
 * images (slide-svg.ts): 1 cqw here is 12.8 px of a 1280 px slide there.
 */
import { useLayoutEffect, useRef, useState, type CSSProperties } from 'react';
import type { CodeHighlight, Slide as DeckSlide } from '../../../../shared/maps/deck.ts';
import { formatPosition } from '../../../../shared/maps/positions.ts';
import type { MapTheme } from '../../../../shared/maps/svg.ts';
import { oneLine } from '../../../../shared/maps/text.ts';
import { canvasMeasure } from './measure.ts';
import { axisX, fitCodeColumns, highlightMeta, medianText, mostConnectedText, quoteText, SLIDE_THEMES, slideKicker } from './slide-svg.ts';

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
/** px of a 1280 px slide → cqw. */
const cqw = (px: number) => `${(px / 12.8).toFixed(3)}cqw`;

/** The slide's colours as custom properties (presentation.css reads them). */
export function themeStyle(theme: MapTheme): CSSProperties {
  const t = SLIDE_THEMES[theme];
  return {
    '--slide-bg': t.background,
    '--slide-ink': t.ink,
    '--slide-muted': t.muted,
    '--slide-accent': t.accent,
    '--slide-challenge': t.challenge,
    '--slide-onramp': t.onRamp,
    '--slide-rule': t.rule,
    '--slide-panel': t.panel,
    '--slide-band': t.band,
    '--slide-marker': t.marker,
  } as CSSProperties;
}

/** What the map image of a slide shows, in words (its alternative text). */
export function mapAlt(slide: DeckSlide): string {
  if (slide.kind === 'stage-map') {
    const b = slide.body;
    const placed = b.cases.map((c) => `${oneLine(c.caseName)} ${formatPosition(c.position)}`).join(', ');
    return `Lifecycle map with ${oneLine(b.stageName)} highlighted. Positions in ${oneLine(b.stageName)}, from bazaar (+1) to cathedral (−1): ${placed || 'none'}.`;
  }
  if (slide.kind === 'network') {
    const b = slide.body;
    return `Collaboration network: ${plural(b.actorCount, 'actor')} and ${plural(b.tieCount, 'tie')} in stage lanes${b.mostConnected.length > 0 ? `; most connected ${b.mostConnected.map((m) => `${oneLine(m.name)} (${plural(m.ties, 'tie')})`).join(', ')}` : ''}.`;
  }
  return '';
}

export interface SlideProps {
  slide: DeckSlide;
  theme: MapTheme;
  /** The map image's URL (data:) for map slides. */
  mapUrl?: string | null | undefined;
  /** The footer: the study's name, and the slide's place ("3 / 9"). */
  footer?: string | undefined;
  index?: number | undefined;
  count?: number | undefined;
  /** The title's heading level (2 in the presenter, 3 inside the editor). */
  headingLevel?: 2 | 3;
}

export function Slide({ slide, theme, mapUrl, footer, index, count, headingLevel = 2 }: SlideProps) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const kicker = slideKicker(slide);
  return (
    <section className={`slide slide-${slide.kind} slide-theme-${theme}`} style={themeStyle(theme)} aria-roledescription="slide" aria-label={slide.title} data-slide-id={slide.id}>
      <div className="slide-frame">
      {slide.kind === 'overview' ? (
        <OverviewBody slide={slide} Heading={Heading} />
      ) : (
        <>
          <header className="slide-header">
            {kicker && <p className="slide-kicker">{kicker}</p>}
            <Heading className="slide-title">{slide.title}</Heading>
          </header>
          {slide.kind === 'stage-map' && <StageMapBody slide={slide} mapUrl={mapUrl} />}
          {slide.kind === 'stage-codes' && <StageCodesBody key={codesKey(slide)} slide={slide} />}
          {slide.kind === 'network' && <NetworkBody slide={slide} mapUrl={mapUrl} />}
          {slide.kind === 'summary' && <SummaryBody slide={slide} />}
        </>
      )}
      {(footer || (index !== undefined && count !== undefined)) && (
        <footer className="slide-footer">
          <span>{footer ? oneLine(footer) : ''}</span>
          {index !== undefined && count !== undefined && <span>{`${index} / ${count}`}</span>}
        </footer>
      )}
      </div>
    </section>
  );
}

function OverviewBody({ slide, Heading }: { slide: Extract<DeckSlide, { kind: 'overview' }>; Heading: 'h2' | 'h3' }) {
  const b = slide.body;
  return (
    <div className="slide-overview">
      <p className="slide-kicker">Workshop</p>
      <Heading className="slide-study">{b.studyName}</Heading>
      <p className="slide-counts">
        {plural(b.caseCount, 'case')} · {plural(b.interviewCount, 'interview')} · {plural(b.participantCount, 'participant')}
      </p>
      {b.stages.length > 0 && (
        <>
          <p className="slide-kicker">The lifecycle</p>
          <ol className="slide-stages">
            {b.stages.map((s) => (
              <li key={s.id}>{oneLine(s.name)}</li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}

function MapImage({ slide, mapUrl }: { slide: DeckSlide; mapUrl: string | null | undefined }) {
  return <div className="slide-map">{mapUrl ? <img src={mapUrl} alt={mapAlt(slide)} /> : <p className="slide-muted">The map is being drawn…</p>}</div>;
}

/** Figures in a row under the title: a label above each value, the values on one baseline. */
function Stats({ items, note }: { items: readonly { label: string; value: string; words?: string; big?: boolean; wide?: boolean }[]; note?: string }) {
  const columns = items.map((i) => (i.wide ? 'minmax(0, 1fr)' : 'max-content')).join(' ');
  return (
    <div className="slide-stats-row">
      <dl className="slide-stats" style={{ gridTemplateColumns: columns }}>
        {items.map((item) => (
          <div key={item.label} className={item.wide ? 'slide-stats-wide' : undefined}>
            <dt>{item.label}</dt>
            <dd>
              <span className={item.big ? 'slide-big' : undefined}>{item.value}</span>
              {item.words && <span className="slide-words">{` ${item.words}`}</span>}
            </dd>
          </div>
        ))}
      </dl>
      {note && <p className="slide-stats-note">{note}</p>}
    </div>
  );
}

function StageMapBody({ slide, mapUrl }: { slide: Extract<DeckSlide, { kind: 'stage-map' }>; mapUrl: string | null | undefined }) {
  const b = slide.body;
  const sm = b.summary;
  return (
    <div className="slide-with-map">
      <Stats
        items={[
          { label: 'Median', value: medianText(sm.median), words: b.summaryWords, big: true },
          { label: 'Cases placed', value: `${sm.count} of ${b.cases.length + b.noEvidence.length}` },
          ...(sm.q1 !== null && sm.q3 !== null ? [{ label: 'Middle half', value: `${formatPosition(sm.q1)} to ${formatPosition(sm.q3)}` }] : []),
        ]}
        note="−1 cathedral · +1 bazaar"
      />
      <MapImage slide={slide} mapUrl={mapUrl} />
    </div>
  );
}

function NetworkBody({ slide, mapUrl }: { slide: Extract<DeckSlide, { kind: 'network' }>; mapUrl: string | null | undefined }) {
  const b = slide.body;
  return (
    <div className="slide-with-map">
      <Stats
        items={[
          { label: 'Actors', value: String(b.actorCount), big: true },
          { label: 'Ties', value: String(b.tieCount), big: true },
          ...(b.mostConnected.length > 0 ? [{ label: 'Most connected', value: mostConnectedText(b.mostConnected), wide: true }] : []),
        ]}
      />
      <MapImage slide={slide} mapUrl={mapUrl} />
    </div>
  );
}

/** Changes when the slide's text does, so the shrinking starts again from the estimate. */
const codesKey = (slide: Extract<DeckSlide, { kind: 'stage-codes' }>) =>
  [slide.id, ...[...slide.body.challenges, ...slide.body.onRamps].map((h) => `${h.codeId}:${h.quote?.segmentId ?? ''}`)].join('|');

/**
 * A stage's challenges and on-ramps: type as large as lets every quote fit (the same rule as
 * the PDF), then, should the browser's fonts run wider than that estimate, smaller by steps
 * until nothing overflows the slide.
 */
function StageCodesBody({ slide }: { slide: Extract<DeckSlide, { kind: 'stage-codes' }> }) {
  const b = slide.body;
  const sizes = fitCodeColumns([b.challenges, b.onRamps], undefined, undefined, canvasMeasure);
  const [shrink, setShrink] = useState(1);
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || shrink <= 0.5) return;
    const overflowing = [...el.querySelectorAll<HTMLElement>('.slide-codes-column')].some((c) => c.scrollHeight > c.clientHeight + 1);
    if (overflowing) setShrink((value) => Math.round(value * 92) / 100);
  }, [shrink, slide]);
  const style = {
    '--code-name': cqw(sizes.name * shrink),
    '--code-meta': cqw(sizes.meta * shrink),
    '--code-quote': cqw(sizes.quote * shrink),
    '--code-attribution': cqw(sizes.attribution * shrink),
  } as CSSProperties;
  return (
    <div className="slide-codes" ref={ref} style={style}>
      <CodeColumn heading="Challenges" kind="challenge" items={b.challenges} />
      <CodeColumn heading="On-ramps" kind="onramp" items={b.onRamps} />
    </div>
  );
}

function CodeColumn({ heading, kind, items }: { heading: string; kind: 'challenge' | 'onramp'; items: readonly CodeHighlight[] }) {
  return (
    <div className={`slide-codes-column slide-codes-${kind}`}>
      <p className="slide-codes-heading">{heading}</p>
      {items.length === 0 ? (
        <p className="slide-muted">{`No ${heading.toLowerCase()} coded in this stage.`}</p>
      ) : (
        <ul>
          {items.map((item) => (
            <li key={item.codeId} data-code-id={item.codeId}>
              <p className="slide-code-name">{item.name}</p>
              <p className="slide-code-meta">{highlightMeta(item)}</p>
              {item.quote && (
                <figure className="slide-quote">
                  <blockquote>{quoteText(item.quote.text)}</blockquote>
                  <figcaption>{`— ${item.quote.attribution}`}</figcaption>
                </figure>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function SummaryBody({ slide }: { slide: Extract<DeckSlide, { kind: 'summary' }> }) {
  const b = slide.body;
  const pct = (position: number) => `${axisX(position, 0, 100)}%`;
  return (
    <div className="slide-summary">
      <div className="slide-summary-axis-labels" aria-hidden="true">
        <span>← Cathedral</span>
        <span>Bazaar →</span>
      </div>
      <ul className="slide-summary-rows">
        {b.stages.map((s) => (
          <li key={s.stageId}>
            <span className="slide-summary-stage">{oneLine(s.stageName)}</span>
            <span className="slide-axis" aria-hidden="true">
              <span className="slide-axis-zero" />
              {s.q1 !== null && s.q3 !== null && <span className="slide-axis-band" style={{ left: pct(s.q1), width: `calc(${pct(s.q3)} - ${pct(s.q1)})` }} />}
              {s.median !== null && <span className="slide-axis-median" style={{ left: pct(s.median) }} />}
            </span>
            <span className="slide-summary-value">
              <strong>{s.median === null ? 'no evidence' : `${formatPosition(s.median)} ${s.words}`}</strong>
              <span>{plural(s.count, 'case')}</span>
            </span>
          </li>
        ))}
      </ul>
      <p className="slide-move">{b.overall ? b.overall.text : 'Fewer than two stages have evidence, so there is no move across the lifecycle to describe.'}</p>
    </div>
  );
}
