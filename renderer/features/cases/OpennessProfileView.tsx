import { OPENNESS_COMPONENTS, OPENNESS_LABELS, type OpennessProfile } from '../../../shared/model/types.ts';

const LEVEL_TEXT = { open: 'open', partial: 'partly open', closed: 'closed', unknown: 'unknown' } as const;

/** Six small marks, one per artefact: filled = open, half = partly, empty = closed, dotted = unknown. */
export function OpennessProfileView({ profile }: { profile: OpennessProfile }) {
  const description = OPENNESS_COMPONENTS.map((c) => `${OPENNESS_LABELS[c]}: ${LEVEL_TEXT[profile[c]]}`).join('; ');
  return (
    <span className="openness" role="img" aria-label={description} title={description}>
      {OPENNESS_COMPONENTS.map((c) => (
        <span key={c} className={`openness-mark level-${profile[c]}`} />
      ))}
    </span>
  );
}
