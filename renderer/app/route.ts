/**
 * Where the researcher is, kept in the URL hash so a reload (or a bookmark in the
 * browser) returns to the same place: #/ is the study list, #/study/<id>/<area>[/<item>].
 * #/presenter-notes is the speaker notes screen of a running presentation (the desktop
 * opens it in a window of its own; in a browser, open it in another tab).
 */
import { useSyncExternalStore } from 'react';

export const AREAS = [
  { id: 'overview', label: 'Overview', key: '1' },
  { id: 'cases', label: 'Cases', key: '2' },
  { id: 'documents', label: 'Documents', key: '3' },
  { id: 'coding', label: 'Coding', key: '4' },
  { id: 'codebook', label: 'Codebook', key: '5' },
  { id: 'matrices', label: 'Matrices', key: '6' },
  { id: 'maps', label: 'Maps', key: '7' },
  { id: 'reports', label: 'Reports', key: '8' },
  { id: 'search', label: 'Search', key: '9' },
  { id: 'agreement', label: 'Agreement', key: '0' },
] as const;
export type AreaId = (typeof AREAS)[number]['id'];

/** `focus` names something inside the item, e.g. a coding inside a transcript. */
export type Route =
  | { screen: 'studies' }
  | { screen: 'study'; studyId: string; area: AreaId; item: string | null; focus?: string | null }
  | { screen: 'presenter-notes' };

const PRESENTER_NOTES = 'presenter-notes';

/** A malformed escape (a hand-typed "%") keeps its text instead of throwing during render. */
function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decode);
  if (parts.length === 1 && parts[0] === PRESENTER_NOTES) return { screen: 'presenter-notes' };
  if (parts[0] === 'study' && parts[1]) {
    const area = AREAS.find((a) => a.id === parts[2])?.id ?? 'overview';
    return { screen: 'study', studyId: parts[1], area, item: parts[3] ?? null, focus: parts[4] ?? null };
  }
  return { screen: 'studies' };
}

export function routeHash(route: Route): string {
  if (route.screen === 'studies') return '#/';
  if (route.screen === 'presenter-notes') return `#/${PRESENTER_NOTES}`;
  const item = route.item ? `/${encodeURIComponent(route.item)}${route.focus ? `/${encodeURIComponent(route.focus)}` : ''}` : '';
  return `#/study/${encodeURIComponent(route.studyId)}/${route.area}${item}`;
}

export function navigate(route: Route): void {
  const hash = routeHash(route);
  if (window.location.hash !== hash) window.location.hash = hash;
}

const subscribe = (onChange: () => void) => {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
};

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(hash);
}
