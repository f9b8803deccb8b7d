/**
 * A case's openness profile as one radio group per artefact (open, partly, closed, unknown),
 * with the compact visual above it; each choice is one undoable change.
 */
import { useState } from 'react';
import { OPENNESS_COMPONENTS, OPENNESS_LABELS, OPENNESS_LEVELS, type OpennessComponent, type OpennessLevel, type OpennessProfile } from '../../../shared/model/types.ts';
import { OpennessProfileView } from './OpennessProfileView.tsx';

const LEVEL_LABELS: Record<OpennessLevel, string> = { open: 'Open', partial: 'Partly', closed: 'Closed', unknown: 'Unknown' };

/**
 * The choice shows at once (the change is written asynchronously, and a radio that snapped
 * back until then would look refused); a refused change puts the stored level back. Give the
 * editor a key that changes with the stored profile, so it starts again from it.
 */
export function OpennessEditor({ profile, onChange }: { profile: OpennessProfile; onChange: (component: OpennessComponent, level: OpennessLevel) => Promise<boolean> }) {
  const [shown, setShown] = useState(profile);
  const choose = async (component: OpennessComponent, level: OpennessLevel) => {
    setShown((p) => ({ ...p, [component]: level }));
    if (!(await onChange(component, level))) setShown((p) => ({ ...p, [component]: profile[component] }));
  };
  return (
    <div className="openness-editor">
      <p className="openness-summary">
        <OpennessProfileView profile={shown} />
        <span className="hint">Filled: open · half: partly open · empty: closed · dotted: unknown</span>
      </p>
      <div className="openness-groups">
        {OPENNESS_COMPONENTS.map((component) => (
          <fieldset key={component} className="openness-group">
            <legend>{OPENNESS_LABELS[component]}</legend>
            {OPENNESS_LEVELS.map((level) => (
              <label key={level}>
                <input type="radio" name={`openness-${component}`} value={level} checked={shown[component] === level} onChange={() => void choose(component, level)} />
                {LEVEL_LABELS[level]}
              </label>
            ))}
          </fieldset>
        ))}
      </div>
    </div>
  );
}
