/**
 * Blind coding in the Search area: while the team codes blind, searching within codings and
 * retrieving coded segments see only the active coder's codings, as the Coding view does, so
 * a coder cannot read a teammate's work here either.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import type { Guid } from '../../../shared/model/types.ts';
import type { StudyCore } from '../../data/hooks.ts';
import { db } from '../../data/instance.ts';
import type { StoredSegment } from '../../data/layout.ts';
import { getTeam, visibleTo } from '../../data/team.ts';

/** undefined while loading; `blind` false means every coding is shown. */
export type BlindView = { blind: false } | { blind: true; coderId: Guid | null; coderName: string };

export function useBlindView(core: StudyCore): BlindView | undefined {
  const blind = useLiveQuery(() => getTeam(db, core.study.id).then((t) => t.blind), [core.study.id]);
  if (blind === undefined) return undefined;
  if (!blind) return { blind: false };
  // The same coder the Coding view codes as: the active one, or the first when that one is gone.
  const coder = core.coders.find((c) => c.id === core.study.activeCoderId) ?? core.coders[0];
  return { blind: true, coderId: coder?.id ?? null, coderName: coder?.name ?? 'nobody' };
}

/** A stored segment as the coder may see it: only their codings (and the codes of those) when blind; null when none is left. */
export function visibleSegment<S extends Pick<StoredSegment, 'codings' | 'codeIds'>>(segment: S, view: BlindView): S | null {
  if (!view.blind) return segment;
  const codings = segment.codings.filter(visibleTo(true, view.coderId));
  return codings.length === 0 ? null : { ...segment, codings, codeIds: [...new Set(codings.map((c) => c.codeId))] };
}
