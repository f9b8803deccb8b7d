/**
 * The codebook side of a REFI-QDA import: codes (nested, with Cartography's fields from their
 * descriptions), Cartography's stage sets, variables and cases. See qde-import.ts.
 */
import { decodeDescription } from '../codebook/description.ts';
import { readColor } from '../codebook/qdc.ts';
import { attribute, childElements, textContent, type XmlElement } from '../codebook/xml.ts';
import { codeColor } from '../model/colors.ts';
import { unknownOpenness, type AttributeDef, type AttributeValue, type Case, type Code, type Guid, type Stage } from '../model/types.ts';
import { child, childText, DATE, plural, quoted, Tally, within, type ImportContext } from './qde-import-common.ts';

const CATEGORY = /^Category with the values: (.*)$/s;

/** Codes in document order (each after its parent), and the stages Cartography's sets stand for. */
export function readCodebook(ctx: ImportContext): { codes: Code[]; stages: Stage[] } {
  const { project, notes, guidFor, tracked, ref, addNoteRefs, fromCartography } = ctx;
  const codes: Code[] = [];
  const describedStage = new Map<Guid, string>();
  let defaultColors = 0;
  let withoutColor = 0;
  const badColors: string[] = [];
  let notCodable = 0;
  let unnamedCodes = 0;
  const readCodes = (parent: XmlElement, parentId: Guid | null) => {
    for (const el of childElements(parent, 'Code')) {
      const id = guidFor(el, 'codes');
      let name = (attribute(el, 'name') ?? '').replace(/\s+/g, ' ').trim();
      if (name === '') {
        name = 'Untitled code';
        unnamedCodes += 1;
      }
      const rawColor = attribute(el, 'color');
      let color = rawColor === undefined ? null : readColor(rawColor);
      if (color === null) {
        if (rawColor === undefined) withoutColor += 1;
        else badColors.push(`${quoted(rawColor)} (${quoted(name)})`);
        color = codeColor(defaultColors++);
      }
      const description = childText(el, 'Description');
      const fields = decodeDescription(description ?? '');
      if (fields.stage !== null) describedStage.set(id, fields.stage);
      if (['false', '0'].includes((attribute(el, 'isCodable') ?? '').trim())) notCodable += 1;
      codes.push({
        id,
        ...tracked(),
        parentId,
        name,
        color,
        stageId: null,
        kind: fields.kind,
        mode: fields.mode,
        order: codes.length,
        shortDefinition: fields.shortDefinition,
        definition: fields.definition,
        useWhen: fields.useWhen,
        doNotUseWhen: fields.doNotUseWhen,
        examples: fields.examples,
        status: fields.status,
        history: [],
      });
      addNoteRefs(el, { type: 'code', id });
      readCodes(el, id);
    }
  };
  const codebook = child(project, 'CodeBook');
  if (codebook) readCodes(child(codebook, 'Codes') ?? codebook, null);
  const codeById = new Map(codes.map((c) => [c.id, c]));
  if (unnamedCodes > 0) notes.push(`${plural(unnamedCodes, 'code has', 'codes have')} no name: named “Untitled code”.`);
  if (withoutColor > 0) notes.push(`${plural(withoutColor, 'code has', 'codes have')} no colour: given default colours.`);
  if (badColors.length > 0) notes.push(`${plural(badColors.length, 'colour cannot', 'colours cannot')} be read and ${badColors.length === 1 ? 'was' : 'were'} dropped (the codes were given default colours): ${badColors.join(', ')}.`);
  if (notCodable > 0) notes.push(`${plural(notCodable, 'code is a category', 'codes are categories')} (not codable) in the file: imported as codes you can apply, with their codes under them.`);

  // Sets → stages (Cartography's: sets of codes only)
  const stages: Stage[] = [];
  const stageOfCode = new Map<Guid, Guid>();
  const describedNames = new Set([...describedStage.values()]);
  const otherSets: string[] = [];
  let unknownMembers = 0;
  let twoStages = 0;
  for (const set of within(project, 'Sets', 'Set')) {
    const name = (attribute(set, 'name') ?? '').trim();
    const memberCodes = childElements(set, 'MemberCode');
    const isStage = name !== '' && childElements(set, 'MemberSource').length === 0 && childElements(set, 'MemberNote').length === 0 && (fromCartography || describedNames.has(name));
    if (!isStage) {
      otherSets.push(quoted(name || 'unnamed'));
      continue;
    }
    const id = guidFor(set, 'sets');
    stages.push({ id, ...tracked(), name, description: childText(set, 'Description') ?? '', order: stages.length });
    for (const member of memberCodes) {
      const codeId = ref(member);
      if (codeId === null || !codeById.has(codeId)) unknownMembers += 1;
      else if (stageOfCode.has(codeId)) twoStages += 1;
      else stageOfCode.set(codeId, id);
    }
  }
  if (stages.length > 0) notes.push(`${plural(stages.length, 'set was', 'sets were')} read as lifecycle stages: ${stages.map((s) => quoted(s.name)).join(', ')}.`);
  if (otherSets.length > 0) notes.push(`${plural(otherSets.length, 'set', 'sets')} (${otherSets.join(', ')}) ${otherSets.length === 1 ? 'groups' : 'group'} sources, notes or codes in a way Cartography has no place for: left out.`);
  if (unknownMembers > 0) notes.push(`${plural(unknownMembers, 'member of a stage set is not a code', 'members of stage sets are not codes')} of the project: left out.`);
  if (twoStages > 0) notes.push(`${plural(twoStages, 'code is', 'codes are')} in more than one stage set: each kept the first.`);
  const stageByName = new Map(stages.map((s) => [s.name, s.id]));
  const stageByFold = new Map(stages.map((s) => [s.name.toLowerCase(), s.id]));
  const unknownStages = new Set<string>();
  for (const code of codes) {
    const named = describedStage.get(code.id);
    code.stageId = stageOfCode.get(code.id) ?? (named === undefined ? null : (stageByName.get(named) ?? stageByFold.get(named.toLowerCase()) ?? null));
    if (code.stageId === null && named !== undefined) unknownStages.add(named);
  }
  if (unknownStages.size > 0) notes.push(`Code descriptions name stages the project has no set for (${[...unknownStages].map(quoted).join(', ')}): those codes were imported as cross-stage.`);

  return { codes, stages };
}

/** Variables as case attributes, cases with their values, and the case each source belongs to. */
export function readCases(ctx: ImportContext): { attributes: AttributeDef[]; cases: Case[]; caseOfSource: Map<Guid, Guid> } {
  const { project, notes, guidFor, tracked, ref } = ctx;
  // Variables → attributes
  const attributes: AttributeDef[] = [];
  let dateTimeVariables = 0;
  for (const el of within(project, 'Variables', 'Variable')) {
    const type = (attribute(el, 'typeOfVariable') ?? 'Text').trim();
    const category = CATEGORY.exec(childText(el, 'Description') ?? '');
    const kind: AttributeDef['type'] = type === 'Boolean' ? 'boolean' : type === 'Integer' || type === 'Float' ? 'number' : type === 'Date' ? 'date' : category && type === 'Text' ? 'category' : 'text';
    if (type === 'DateTime') dateTimeVariables += 1;
    const values = kind === 'category' ? category![1]!.split('; ').filter((v) => v !== '') : [];
    attributes.push({ id: guidFor(el, 'variables'), ...tracked(), name: (attribute(el, 'name') ?? '').trim() || `Variable ${attributes.length + 1}`, type: kind, values, order: attributes.length });
  }
  if (dateTimeVariables > 0) notes.push(`${plural(dateTimeVariables, 'variable holds', 'variables hold')} dates with times: read as text attributes.`);
  const attributeById = new Map(attributes.map((a) => [a.id, a]));

  const unreadable: string[] = [];
  /** A VariableValue as a value of its attribute; null (with a note) when it does not fit. */
  const readValue = (el: XmlElement, def: AttributeDef, owner: string): AttributeValue | undefined => {
    const valueEl = childElements(el).find((c) => c.local.endsWith('Value'));
    if (!valueEl) return undefined;
    const raw = textContent(valueEl).trim();
    const bad = () => {
      unreadable.push(`${quoted(raw)} for ${quoted(def.name)} of ${quoted(owner)}`);
      return undefined;
    };
    switch (def.type) {
      case 'number': {
        const n = raw === '' ? NaN : Number(raw);
        return Number.isFinite(n) ? n : bad();
      }
      case 'boolean':
        return raw === 'true' || raw === '1' ? true : raw === 'false' || raw === '0' ? false : bad();
      case 'date':
        return DATE.test(raw.slice(0, 10)) ? raw.slice(0, 10) : bad();
      case 'category':
        if (!def.values.includes(raw)) def.values.push(raw);
        return raw;
      default:
        return raw;
    }
  };

  // Cases
  const cases: Case[] = [];
  const caseOfSource = new Map<Guid, Guid>();
  const caseRefs = new Tally();
  let sourceInTwoCases = 0;
  const unknown = new Tally();
  for (const el of within(project, 'Cases', 'Case')) {
    const id = guidFor(el, 'cases');
    const name = (attribute(el, 'name') ?? '').trim() || `Case ${cases.length + 1}`;
    const values: Record<Guid, AttributeValue> = {};
    for (const vv of childElements(el, 'VariableValue')) {
      const def = attributeById.get(ref(child(vv, 'VariableRef')) ?? '');
      if (!def) {
        unknown.add('values of variables the project does not define');
        continue;
      }
      const value = readValue(vv, def, name);
      if (value !== undefined) values[def.id] = value;
    }
    for (const sourceRef of [...childElements(el, 'SourceRef'), ...childElements(el, 'MemberSource')]) {
      const sourceId = ref(sourceRef);
      if (sourceId === null) continue;
      if (caseOfSource.has(sourceId) && caseOfSource.get(sourceId) !== id) sourceInTwoCases += 1;
      else caseOfSource.set(sourceId, id);
    }
    caseRefs.add('references to codes', childElements(el, 'CodeRef').length);
    caseRefs.add('references to selections', childElements(el, 'SelectionRef').length);
    cases.push({ id, ...tracked(), name, description: childText(el, 'Description') ?? '', attributes: values, openness: unknownOpenness() });
  }
  if (unreadable.length > 0) notes.push(`${plural(unreadable.length, 'attribute value does', 'attribute values do')} not fit the attribute's type and ${unreadable.length === 1 ? 'was' : 'were'} left out: ${unreadable.slice(0, 10).join('; ')}${unreadable.length > 10 ? '; …' : ''}.`);
  if (sourceInTwoCases > 0) notes.push(`${plural(sourceInTwoCases, 'source belongs', 'sources belong')} to more than one case; a document has one case, so each kept the first.`);
  if (caseRefs.total > 0) notes.push(`Cases hold ${caseRefs.words()}, which Cartography has no place for: left out.`);

  if (unknown.total > 0) notes.push(`Left out: ${unknown.words()}.`);
  return { attributes, cases, caseOfSource };
}
