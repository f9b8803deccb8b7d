/**
 * The workshop presentation, inside the Maps area: a deck generated from the study (overview;
 * for each stage its cathedral–bazaar map, then its top challenges and on-ramps with one
 * exemplar quote each; the collaboration network; a summary). The researcher reorders and
 * hides slides, picks the exemplar quotes and a theme, presents full screen with speaker
 * notes, and exports the deck as PDF and each map as PNG (2×) or SVG.
 *
 * The order, hidden slides and quote picks are the study's deck settings (saveDeckSettings);
 * the theme is a setting of the study too (`deck-theme:<studyId>`).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { buildDeck, moveSlide, setSlideHidden, type CodeHighlight, type DeckSettings, type Slide as DeckSlide } from '../../../../shared/maps/deck.ts';
import type { MapTheme } from '../../../../shared/maps/svg.ts';
import { oneLine } from '../../../../shared/maps/text.ts';
import type { Guid } from '../../../../shared/model/types.ts';
import { useNotices } from '../../../components/Notices.tsx';
import type { StudyCore } from '../../../data/hooks.ts';
import { db } from '../../../data/instance.ts';
import { getDeckSettings, saveDeckSettings, type MapSource } from '../../../data/maps.ts';
import { getSetting, putSetting } from '../../../data/studies.ts';
import { platform } from '../../../platform/platform.ts';
import { svgToPng } from '../../matrices/image-export.ts';
import { deckMapSvgs, deckSourceOf, mapKindOf, quoteCandidates, slideMapSvg, svgDataUrl } from './deck-source.ts';
import { deckToPdf } from './pdf.ts';
import { Notes, Presenter } from './Presenter.tsx';
import { Slide } from './Slide.tsx';
import { SLIDE_KIND_LABELS, SLIDE_THEMES } from './slide-svg.ts';
import './presentation.css';
import { fileStem } from '../../../../shared/text/file-stem.ts';

const themeKey = (studyId: Guid) => `deck-theme:${studyId}`;
const THEMES: readonly MapTheme[] = ['light', 'contrast'];
const isTheme = (value: unknown): value is MapTheme => value === 'light' || value === 'contrast';

/** Plain, mutable copies for the settings store. */
const storable = (settings: DeckSettings) => ({
  ...(settings.order ? { order: [...settings.order] } : {}),
  ...(settings.hidden ? { hidden: [...settings.hidden] } : {}),
  ...(settings.quotes ? { quotes: { ...settings.quotes } } : {}),
});

export function PresentationView({ core, source }: { core: StudyCore; source: MapSource }) {
  const studyId = core.study.id;
  const { notify } = useNotices();
  const [loaded, setLoaded] = useState<{ studyId: Guid; settings: DeckSettings; theme: MapTheme } | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [presenting, setPresenting] = useState<{ start: number } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [pdfProgress, setPdfProgress] = useState<string | null>(null);
  const saving = useRef<Promise<void>>(Promise.resolve());
  const startButton = useRef<HTMLButtonElement>(null);
  const listRef = useRef<HTMLOListElement>(null);
  const [refocus, setRefocus] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void Promise.all([getDeckSettings(db, studyId), getSetting<unknown>(db, themeKey(studyId))]).then(
      ([settings, theme]) => {
        if (live) setLoaded({ studyId, settings, theme: isTheme(theme) ? theme : 'light' });
      },
      (error: unknown) => {
        if (live) {
          notify('error', 'The deck settings could not be read', `${(error as Error).message} The default deck is shown.`);
          setLoaded({ studyId, settings: {}, theme: 'light' });
        }
      },
    );
    return () => {
      live = false;
    };
  }, [studyId, notify]);

  const current = loaded?.studyId === studyId ? loaded : null;
  const settings = useMemo(() => current?.settings ?? {}, [current]);
  const theme = current?.theme ?? 'light';
  const deckSource = useMemo(() => deckSourceOf(core.study.name, core.codes, source), [core.study.name, core.codes, source]);
  const deck = useMemo(() => buildDeck(deckSource, settings, { overrides: source.overrides }), [deckSource, settings, source.overrides]);
  const mapSvgs = useMemo(() => deckMapSvgs(deck, deckSource, theme, 'slide'), [deck, deckSource, theme]);
  const mapUrls = useMemo(() => new Map([...mapSvgs].map(([id, svg]) => [id, svgDataUrl(svg)])), [mapSvgs]);

  const selected = deck.slides.find((e) => e.slide.id === selectedId) ?? deck.slides[0];
  const selectedIndex = selected ? deck.slides.indexOf(selected) : -1;

  // After a move, the moved slide's button keeps the keyboard (React moved its element).
  useEffect(() => {
    if (refocus === null) return;
    listRef.current?.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(refocus)}"]`)?.focus();
    setRefocus(null);
  }, [refocus, deck]);

  /** Applies new settings at once and saves them in order (a later save never lands before an earlier one). */
  const update = (next: DeckSettings) => {
    if (!current) return;
    setLoaded({ ...current, settings: next });
    const value = storable(next);
    saving.current = saving.current.then(() =>
      saveDeckSettings(db, studyId, value).catch((error: unknown) => notify('error', 'The deck could not be saved', `${(error as Error).message} Your last change may be lost on reload.`)),
    );
  };
  const setTheme = (next: MapTheme) => {
    if (!current) return;
    setLoaded({ ...current, theme: next });
    saving.current = saving.current.then(() =>
      putSetting(db, themeKey(studyId), next).catch((error: unknown) => notify('error', 'The theme could not be saved', (error as Error).message)),
    );
  };

  const slides = deck.slides.map((e) => e.slide);
  const move = (id: string, by: -1 | 1, focusKey: string) => {
    const at = deck.slides.findIndex((e) => e.slide.id === id);
    const to = at + by;
    if (at < 0 || to < 0 || to >= deck.slides.length) return;
    update(moveSlide(slides, settings, id, to));
    setRefocus(focusKey);
  };
  const pickQuote = (codeId: Guid, segmentId: Guid | null) => {
    const quotes = { ...(settings.quotes ?? {}) };
    if (segmentId === null) delete quotes[codeId];
    else quotes[codeId] = segmentId;
    update({ ...settings, quotes });
  };

  const stem = fileStem(core.study.name);
  const run = async (action: string, work: () => Promise<void>) => {
    if (busy !== null) return;
    setBusy(action);
    try {
      await work();
    } finally {
      setBusy(null);
    }
  };
  const save = async (what: string, suggestedName: string, filter: { name: string; extensions: string[] }, bytes: () => Promise<Uint8Array>) => {
    try {
      const result = await platform.saveFile({ title: `Export ${what}`, suggestedName, filters: [filter], bytes: await bytes() });
      if (result.saved) notify('info', `Exported ${what}`, result.path ?? 'Saved to your downloads.');
    } catch (error) {
      notify('error', `${what[0]!.toUpperCase()}${what.slice(1)} could not be exported`, `${(error as Error).message} Nothing was saved.`);
    }
  };
  const exportPdf = () =>
    run('pdf', () =>
      save('the deck as PDF', `${stem}-workshop.pdf`, { name: 'PDF document', extensions: ['pdf'] }, () =>
        deckToPdf({
          title: `${oneLine(core.study.name)} — workshop`,
          slides: deck.visible,
          theme,
          mapSvgs,
          footer: core.study.name,
          onPage: (done, total) => setPdfProgress(`${done} of ${total}`),
        }).finally(() => setPdfProgress(null)),
      ),
    );
  const exportMap = (slide: DeckSlide, format: 'png' | 'svg') => {
    // The file keeps the map's legend, key and formula, which the slide leaves out.
    const svg = slideMapSvg(slide, deck, deckSource, theme, 'file');
    if (!svg) return;
    const name = slide.kind === 'stage-map' ? `${stem}-${fileStem(slide.body.stageName, 'stage')}-map` : `${stem}-network`;
    return run(`map-${format}`, () =>
      format === 'svg'
        ? save('the map as SVG', `${name}.svg`, { name: 'SVG image', extensions: ['svg'] }, async () => new TextEncoder().encode(svg))
        : save('the map as PNG', `${name}.png`, { name: 'PNG image', extensions: ['png'] }, () => svgToPng(svg, 2)),
    );
  };

  const visibleCount = deck.visible.length;
  const present = (slide?: DeckSlide) => {
    const start = slide ? deck.visible.indexOf(slide) : 0;
    setPresenting({ start: Math.max(0, start) });
  };
  const stopPresenting = () => {
    setPresenting(null);
    // Back to where the researcher started from.
    requestAnimationFrame(() => startButton.current?.focus());
  };

  if (!current) return <p aria-busy="true">Reading the deck…</p>;

  return (
    <div className="deck-editor">
      <div className="deck-toolbar">
        <fieldset className="deck-theme">
          <legend>Theme</legend>
          {THEMES.map((t) => (
            <label key={t}>
              <input type="radio" name="deck-theme" value={t} checked={theme === t} onChange={() => setTheme(t)} /> {SLIDE_THEMES[t].label}
            </label>
          ))}
        </fieldset>
        <button type="button" className="primary" ref={startButton} aria-disabled={visibleCount === 0} onClick={() => visibleCount > 0 && present()}>
          Start presentation
        </button>
        <button type="button" aria-disabled={busy !== null || visibleCount === 0} onClick={() => visibleCount > 0 && void exportPdf()}>
          {busy === 'pdf' ? `Export PDF… ${pdfProgress ?? ''}` : 'Export PDF'}
        </button>
        <span className="hint">
          {visibleCount} of {deck.slides.length} slides shown · keys while presenting: → Space next, ← previous, N notes, Esc leave
        </span>
      </div>
      {deck.problems.length > 0 && (
        <ul className="deck-problems" role="status">
          {deck.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <div className="deck-columns">
        <section className="deck-list" aria-labelledby="deck-list-heading">
          <h2 id="deck-list-heading">Slides</h2>
          <ol ref={listRef}>
            {deck.slides.map((entry, i) => {
              const { slide, hidden } = entry;
              const isSelected = selected?.slide.id === slide.id;
              const title = oneLine(slide.title);
              return (
                <li key={slide.id} className={`deck-item${isSelected ? ' selected' : ''}${hidden ? ' is-hidden' : ''}`} data-slide-id={slide.id}>
                  <button type="button" className="deck-item-select" aria-current={isSelected ? 'true' : undefined} onClick={() => setSelectedId(slide.id)}>
                    <span className="deck-item-number">{i + 1}</span>
                    <span className="deck-item-text">
                      <span className="deck-item-title">{title}</span>
                      <span className="deck-item-kind">
                        {SLIDE_KIND_LABELS[slide.kind]}
                        {hidden ? ' · hidden' : ''}
                      </span>
                    </span>
                  </button>
                  <span className="deck-item-actions">
                    <label className="deck-item-hide">
                      <input type="checkbox" checked={hidden} onChange={(e) => update(setSlideHidden(slides, settings, slide.id, e.target.checked))} aria-label={`Hide “${title}”`} />
                      Hide
                    </label>
                    <button
                      type="button"
                      className="icon-button"
                      data-focus-key={`up:${slide.id}`}
                      aria-label={`Move “${title}” up`}
                      aria-disabled={i === 0}
                      onClick={() => move(slide.id, -1, i === 1 ? `down:${slide.id}` : `up:${slide.id}`)}
                    >
                      ↑
                    </button>
                    <button
                      type="button"
                      className="icon-button"
                      data-focus-key={`down:${slide.id}`}
                      aria-label={`Move “${title}” down`}
                      aria-disabled={i === deck.slides.length - 1}
                      onClick={() => move(slide.id, 1, i === deck.slides.length - 2 ? `up:${slide.id}` : `down:${slide.id}`)}
                    >
                      ↓
                    </button>
                  </span>
                </li>
              );
            })}
          </ol>
          {(settings.order || settings.hidden) && (
            <button type="button" className="quiet deck-reset" onClick={() => update({ ...(settings.quotes ? { quotes: settings.quotes } : {}) })}>
              Restore the default order and show every slide
            </button>
          )}
        </section>
        {selected && (
          <section className="deck-preview" aria-labelledby="deck-preview-heading">
            <div className="deck-preview-header">
              <h2 id="deck-preview-heading">
                Slide {selectedIndex + 1}: {oneLine(selected.slide.title)}
                {selected.hidden && <span className="badge">hidden</span>}
              </h2>
              <div className="toolbar">
                {!selected.hidden && (
                  <button type="button" onClick={() => present(selected.slide)}>
                    Present from this slide
                  </button>
                )}
                {mapKindOf(selected.slide) !== null && (
                  <span role="group" aria-label="Export this map" className="toolbar">
                    <button type="button" aria-disabled={busy !== null} onClick={() => void exportMap(selected.slide, 'png')}>
                      {busy === 'map-png' ? 'Map as PNG…' : 'Map as PNG (2×)'}
                    </button>
                    <button type="button" aria-disabled={busy !== null} onClick={() => void exportMap(selected.slide, 'svg')}>
                      {busy === 'map-svg' ? 'Map as SVG…' : 'Map as SVG'}
                    </button>
                  </span>
                )}
              </div>
            </div>
            <div className="deck-preview-stage">
              <Slide slide={selected.slide} theme={theme} mapUrl={mapUrls.get(selected.slide.id)} headingLevel={3} footer={core.study.name} />
            </div>
            {selected.slide.kind === 'stage-codes' && (
              <QuotePicker slide={selected.slide} deckSource={deckSource} settings={settings} onPick={pickQuote} />
            )}
            <details className="deck-notes">
              <summary>Speaker notes</summary>
              <Notes text={selected.slide.notes} />
            </details>
          </section>
        )}
      </div>
      {presenting && <Presenter slides={deck.visible} startIndex={presenting.start} theme={theme} mapUrls={mapUrls} footer={core.study.name} onClose={stopPresenting} />}
    </div>
  );
}

/** For each code of a stage-codes slide, the segments coded with it to choose the exemplar quote from. */
function QuotePicker({
  slide,
  deckSource,
  settings,
  onPick,
}: {
  slide: Extract<DeckSlide, { kind: 'stage-codes' }>;
  deckSource: ReturnType<typeof deckSourceOf>;
  settings: DeckSettings;
  onPick: (codeId: Guid, segmentId: Guid | null) => void;
}) {
  const highlights: { h: CodeHighlight; kind: string }[] = [
    ...slide.body.challenges.map((h) => ({ h, kind: 'challenge' })),
    ...slide.body.onRamps.map((h) => ({ h, kind: 'on-ramp' })),
  ];
  // The quote each code would show without a pick.
  const defaults = useMemo(() => {
    const plain = buildDeck(deckSource, { ...settings, quotes: {} });
    const same = plain.slides.find((e) => e.slide.id === slide.id)?.slide;
    const out = new Map<Guid, CodeHighlight['quote']>();
    if (same?.kind === 'stage-codes') for (const h of [...same.body.challenges, ...same.body.onRamps]) out.set(h.codeId, h.quote);
    return out;
  }, [deckSource, settings, slide.id]);
  if (highlights.length === 0) return <p className="hint">No challenge or on-ramp of this stage has coded segments yet, so there are no quotes to pick.</p>;
  return (
    <section className="quote-picker" aria-labelledby="quote-picker-heading">
      <h3 id="quote-picker-heading">Exemplar quotes</h3>
      <p className="hint">Each code shows one quote, attributed by pseudonym and case. Pick one, or leave the automatic choice (a typical example of the code, else its shortest quote of 40–300 characters).</p>
      {highlights.map(({ h, kind }) => {
        const candidates = quoteCandidates(deckSource, h.codeId);
        const picked = settings.quotes?.[h.codeId];
        const value = picked !== undefined && candidates.some((c) => c.segmentId === picked) ? picked : '';
        const automatic = defaults.get(h.codeId);
        const name = `quote-${h.codeId}`;
        return (
          <details key={h.codeId} className="quote-code">
            <summary>
              <strong>{oneLine(h.name)}</strong> <span className="hint">({kind}, {candidates.length} coded segment{candidates.length === 1 ? '' : 's'})</span>
              <span className="quote-current">{h.quote ? `“${oneLine(h.quote.text)}” — ${h.quote.attribution}` : 'No quote'}</span>
            </summary>
            <fieldset>
              <legend className="visually-hidden">{`Quote for “${oneLine(h.name)}”`}</legend>
              <ul className="quote-options">
                <li>
                  <label>
                    <input type="radio" name={name} value="" checked={value === ''} onChange={() => onPick(h.codeId, null)} />
                    <span>
                      <strong>Automatic</strong>
                      {automatic && <span className="quote-option-text">{`“${oneLine(automatic.text)}” — ${automatic.attribution}`}</span>}
                    </span>
                  </label>
                </li>
                {candidates.map((c) => (
                  <li key={c.segmentId}>
                    <label>
                      <input type="radio" name={name} value={c.segmentId} checked={value === c.segmentId} onChange={() => onPick(h.codeId, c.segmentId)} />
                      <span>
                        <span className="quote-option-text">{`“${oneLine(c.text)}”`}</span>
                        <span className="quote-option-meta">
                          <span className="quote-option-who">{c.attribution}</span>, {oneLine(c.documentTitle)}
                        </span>
                      </span>
                    </label>
                  </li>
                ))}
              </ul>
            </fieldset>
          </details>
        );
      })}
    </section>
  );
}
