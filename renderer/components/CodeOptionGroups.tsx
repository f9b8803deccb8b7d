import type { Code, Stage } from '../../shared/model/types.ts';

/** The codes of a study as <option>s grouped by lifecycle stage, then cross-stage, for any code picker. */
export function CodeOptionGroups({ stages, codes, valueFor = (code) => code.id }: { stages: readonly Stage[]; codes: readonly Code[]; valueFor?: (code: Code) => string }) {
  const groups = [...stages.map((s) => ({ id: s.id as string | null, name: s.name })), { id: null, name: 'Cross-stage' }];
  return (
    <>
      {groups.map((group) => {
        const inGroup = codes.filter((c) => c.stageId === group.id);
        return (
          <optgroup key={group.id ?? 'cross-stage'} label={group.name}>
            {inGroup.map((c) => (
              <option key={c.id} value={valueFor(c)}>
                {c.name}
              </option>
            ))}
          </optgroup>
        );
      })}
    </>
  );
}
