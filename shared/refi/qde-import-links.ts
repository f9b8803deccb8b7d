/**
 * Notes and links of a REFI-QDA import: each Note becomes a memo on what refers to it (or on
 * the case a link from it points at, or the position override Cartography's link names);
 * links between cases become ties between the actors that stand for them; other links are
 * reported. See qde-import.ts.
 */
import { attribute } from '../codebook/xml.ts';
import type { Actor, Case, Guid, Memo, PositionOverride, Stage, Tie } from '../model/types.ts';
import { childText, derivedGuid, plural, quoted, readDateTime, readGuid, Tally, within, type ImportContext } from './qde-import-common.ts';
import { pathResolver } from './qde-import-sources.ts';
import { decodeSourceText } from './qde-import-text.ts';

/** Adds the notes to `memos` (which already holds the selections' comments) and reads the links. */
export function readNotesAndLinks(ctx: ImportContext, memos: Memo[], cases: readonly Case[], stages: readonly Stage[]): { actors: Actor[]; ties: Tie[]; overrides: PositionOverride[] } {
  const { project, notes, guidFor, tracked, fatal, userRef, now, studyId, files, noteTargets } = ctx;
  const resolve = pathResolver(files);
  const caseIds = new Set(cases.map((c) => c.id));
  const noteEls = within(project, 'Notes', 'Note');
  const noteIds = new Set<Guid>();
  const memoById = new Map<Guid, Memo>();
  let manyTargets = 0;
  for (const el of noteEls) {
    const id = guidFor(el, 'notes');
    noteIds.add(id);
    let text = childText(el, 'PlainTextContent');
    const path = attribute(el, 'plainTextPath');
    if (text === null && path !== undefined) {
      const found = resolve(path);
      if ('entry' in found) {
        const decoded = decodeSourceText(files.get(found.entry)!, `The text of the note ${quoted(attribute(el, 'name') ?? id)} (${found.entry})`);
        if ('problem' in decoded) fatal(el, decoded.problem);
        else text = decoded.text.replace(/\r\n?/g, '\n');
      }
    }
    const createdAt = readDateTime(attribute(el, 'creationDateTime')) ?? now;
    const targets = noteTargets.get(id) ?? [];
    if (targets.length > 1) manyTargets += 1;
    const memo: Memo = {
      id,
      studyId,
      createdAt,
      modifiedAt: readDateTime(attribute(el, 'modifiedDateTime')) ?? createdAt,
      createdBy: userRef(attribute(el, 'creatingUser')),
      targetType: targets[0]?.type ?? 'study',
      targetId: targets[0]?.id ?? '',
      // a name given empty stays empty (our memos may have no title); a missing one reads “Note”
      title: attribute(el, 'name') ?? 'Note',
      text: text ?? childText(el, 'Description') ?? '',
    };
    memoById.set(id, memo);
    memos.push(memo);
  }
  if (manyTargets > 0) notes.push(`${plural(manyTargets, 'note is', 'notes are')} referred to from several places; a memo is about one thing, so each kept the first.`);
  const danglingNoteRefs = [...noteTargets.keys()].filter((id) => !noteIds.has(id)).length;
  if (danglingNoteRefs > 0) notes.push(`${plural(danglingNoteRefs, 'reference points', 'references point')} at a note the project does not hold: left out.`);

  const actors = new Map<Guid, Actor>();
  const actorFor = (caseId: Guid): Guid => {
    const id = derivedGuid(`case-actor:${caseId}`);
    if (!actors.has(id)) actors.set(id, { id, ...tracked(), name: cases.find((c) => c.id === caseId)!.name, type: 'project', caseId, description: '' });
    return id;
  };
  const stageSuffix = (name: string, pattern: (stage: string) => string): { rest: string; stageId: Guid } | null => {
    const sorted = [...stages].sort((a, b) => b.name.length - a.name.length);
    for (const stage of sorted) {
      const suffix = pattern(stage.name);
      if (name.endsWith(suffix)) return { rest: name.slice(0, -suffix.length), stageId: stage.id };
    }
    return null;
  };
  const ties: Tie[] = [];
  const overrides: PositionOverride[] = [];
  const overridden = new Set<string>();
  const otherLinks = new Tally();
  let tiesWithoutStage = 0;
  let tiesOnFirstStage = 0;
  let twoWay = 0;
  let badOverrides = 0;
  let linkedElsewhere = 0;
  const kindOf = (id: Guid | null): string => {
    const el = id === null ? undefined : ctx.ownerOf(id);
    return el ? el.local : 'nothing';
  };
  for (const el of within(project, 'Links', 'Link')) {
    const from = readGuid(attribute(el, 'originGUID'));
    const to = readGuid(attribute(el, 'targetGUID'));
    const name = (attribute(el, 'name') ?? '').trim();
    const fromKind = kindOf(from);
    const toKind = kindOf(to);
    if (fromKind === 'Note' && toKind === 'Case' && caseIds.has(to!)) {
      const memo = memoById.get(from!)!;
      if (memo.targetId !== '') {
        linkedElsewhere += 1;
        continue;
      }
      const position = name.startsWith('Position override: ') ? stageSuffix(name.slice('Position override: '.length), (s) => ` in ${s}`) : null;
      const value = position ? Number(position.rest) : NaN;
      if (position && position.rest.trim() !== '' && Number.isFinite(value) && value >= -1 && value <= 1 && !overridden.has(`${to}:${position.stageId}`)) {
        const id = guidFor(el, 'links');
        overridden.add(`${to}:${position.stageId}`);
        overrides.push({ id, ...tracked(), createdBy: memo.createdBy, caseId: to!, stageId: position.stageId, value, memoId: memo.id });
        memo.targetType = 'position';
        memo.targetId = id;
      } else {
        if (name.startsWith('Position override: ')) badOverrides += 1;
        memo.targetType = 'case';
        memo.targetId = to!;
      }
      continue;
    }
    if (fromKind === 'Case' && toKind === 'Case' && caseIds.has(from!) && caseIds.has(to!)) {
      const staged = stageSuffix(name, (s) => ` (${s})`);
      let stageId = staged?.stageId ?? null;
      if (stageId === null) {
        if (stages.length === 0) {
          tiesWithoutStage += 1;
          continue;
        }
        stageId = [...stages].sort((a, b) => a.order - b.order)[0]!.id;
        tiesOnFirstStage += 1;
      }
      const direction = (attribute(el, 'direction') ?? 'OneWay').trim();
      if (direction !== 'OneWay') twoWay += 1;
      ties.push({ id: guidFor(el, 'links'), ...tracked(), fromId: actorFor(from!), toId: actorFor(to!), type: (staged?.rest ?? name).trim() || 'tie', stageId, description: '', evidenceSegmentIds: [] });
      continue;
    }
    otherLinks.add(`${fromKind}→${toKind}`);
  }
  if (tiesOnFirstStage > 0) notes.push(`${plural(tiesOnFirstStage, 'link between cases names', 'links between cases name')} no stage: ${tiesOnFirstStage === 1 ? 'its tie was' : 'their ties were'} put in the first stage.`);
  if (tiesWithoutStage > 0) notes.push(`${plural(tiesWithoutStage, 'link between cases was', 'links between cases were')} left out: a tie needs a lifecycle stage, and the project has none.`);
  if (twoWay > 0) notes.push(`${plural(twoWay, 'link between cases is', 'links between cases are')} not one-way: read as ties from the link's origin to its target.`);
  if (badOverrides > 0) notes.push(`${plural(badOverrides, 'position override link', 'position override links')} could not be read (no known stage, or a value outside −1 to 1, or a second override of the same case and stage): ${badOverrides === 1 ? 'its note was' : 'their notes were'} kept as case memos.`);
  if (linkedElsewhere > 0) notes.push(`${plural(linkedElsewhere, 'note is', 'notes are')} also linked to a case, but already ${linkedElsewhere === 1 ? 'belongs' : 'belong'} to something else: the link was left out.`);
  if (otherLinks.total > 0) notes.push(`${plural(otherLinks.total, 'link has', 'links have')} no place in Cartography and ${otherLinks.total === 1 ? 'was' : 'were'} left out (${otherLinks.words()}).`);

  let unattached = 0;
  for (const memo of memos) {
    if (memo.targetId === '') {
      unattached += 1;
      memo.targetType = 'study';
      memo.targetId = studyId;
    }
  }
  if (unattached > 0) notes.push(`${plural(unattached, 'note is', 'notes are')} not attached to anything Cartography imports: kept as study memos.`);
  return { actors: [...actors.values()], ties, overrides };
}
