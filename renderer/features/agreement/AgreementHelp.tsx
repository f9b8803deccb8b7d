/** How to read the numbers: the accepted thresholds and what each unit counts. */
import { AGREEMENT_THRESHOLDS, AGREEMENT_UNITS } from '../../../shared/analysis/agreement.ts';
import { UNIT_DEFINITIONS, UNIT_LABELS } from './agreement-view.ts';

export function AgreementHelp({ overlap }: { overlap: number }) {
  return (
    <details className="agreement-help panel">
      <summary>How to read these numbers</summary>
      <p>
        <strong>Percent agreement</strong> is the share of units on which every compared coder made the same choice. It does not correct for chance: a code
        applied rarely reads as high agreement even when the coders never applied it to the same text.
      </p>
      <ul>
        {AGREEMENT_THRESHOLDS.map((t) => (
          <li key={t.text}>{t.text}</li>
        ))}
      </ul>
      <p>A value shows — when it is undefined; the notes say why (for example, no variation: every unit has the same value, so chance agreement cannot be told apart).</p>
      <h3>Units</h3>
      <dl>
        {AGREEMENT_UNITS.map((unit) => (
          <div key={unit}>
            <dt>{UNIT_LABELS[unit]}</dt>
            <dd>
              {UNIT_DEFINITIONS[unit]}
              {unit === 'segment' && ` Now: ${overlap}.`}
            </dd>
          </div>
        ))}
      </dl>
      <p>
        Every chosen coder is taken to have coded every chosen document: choose only the documents all of them worked on. The consensus coder is left out
        unless you tick it, so resolving disagreements does not change the coders’ own agreement.
      </p>
    </details>
  );
}
