import type { AttributeDef, AttributeValue } from '../../../shared/model/types.ts';

export function AttributeValueText({ def, value }: { def: AttributeDef; value: AttributeValue | undefined }) {
  if (value === null || value === undefined || value === '') return <span className="missing">—</span>;
  if (def.type === 'boolean') return <>{value ? 'Yes' : 'No'}</>;
  if (def.type === 'number' && typeof value === 'number') return <>{value.toLocaleString()}</>;
  return <>{String(value)}</>;
}
