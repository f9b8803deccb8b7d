/** A labelled select with an "any"/"none" first choice: the filters and pickers of many screens. */
export interface Choice {
  value: string;
  label: string;
}

interface ChoiceSelectProps {
  label: string;
  value: string;
  /** The first option, whose value is the empty string (e.g. "All cases"). */
  emptyLabel: string;
  choices: readonly Choice[];
  onChange: (value: string) => void;
  /** "inline" sits in a row of filters; "field" stacks the label above, as in forms. */
  layout?: 'inline' | 'field';
}

export function ChoiceSelect({ label, value, emptyLabel, choices, onChange, layout = 'inline' }: ChoiceSelectProps) {
  return (
    <label className={layout === 'inline' ? 'inline-field' : 'field'}>
      <span>{label}</span>
      <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{emptyLabel}</option>
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </label>
  );
}
