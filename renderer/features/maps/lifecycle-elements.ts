/**
 * The lifecycle map as Cytoscape elements and style: everything drawn comes from the layout
 * computed in shared/maps (preset positions), so the map is the same from run to run.
 * Shared by the Maps area and the benchmark.
 */
import type cytoscape from 'cytoscape';
import type { ElementDefinition, StylesheetJson } from 'cytoscape';
import type { LifecycleLayout } from '../../../shared/maps/lifecycle-layout.ts';
import { formatPosition } from '../../../shared/maps/positions.ts';
import type { Guid } from '../../../shared/model/types.ts';

export function lifecycleElements(layout: LifecycleLayout, colorOf: ReadonlyMap<Guid, string>, labelOf: (caseId: Guid) => string): ElementDefinition[] {
  const elements: ElementDefinition[] = [];
  for (const column of layout.columns) {
    elements.push({ data: { id: `col:${column.stageId}`, label: column.name }, position: { x: column.x, y: (layout.plotTop + layout.plotBottom) / 2 }, classes: 'column', selectable: false, grabbable: false });
  }
  for (const band of layout.bands) {
    if (band.median === null || band.medianY === null) continue;
    const top = band.q3Y ?? band.medianY;
    const bottom = band.q1Y ?? band.medianY;
    elements.push({ data: { id: `band:${band.stageId}`, h: Math.max(2, bottom - top), w: band.width * 0.5 }, position: { x: band.x, y: (top + bottom) / 2 }, classes: 'band', selectable: false, grabbable: false });
    elements.push({ data: { id: `median:${band.stageId}`, w: band.width * 0.62 }, position: { x: band.x, y: band.medianY }, classes: 'median', selectable: false, grabbable: false });
    elements.push({ data: { id: `summary:${band.stageId}`, label: `median ${formatPosition(band.median)}, quartiles ${formatPosition(band.q1 ?? band.median)} to ${formatPosition(band.q3 ?? band.median)} · ${band.count} ${band.count === 1 ? 'case' : 'cases'}` }, position: { x: band.x, y: layout.plotBottom + 34 }, classes: 'summary', selectable: false, grabbable: false });
  }
  elements.push({ data: { id: 'axis:bazaar', label: '▲ Bazaar (open)' }, position: { x: layout.plotLeft + 4, y: layout.plotTop - 14 }, classes: 'axis', selectable: false, grabbable: false });
  elements.push({ data: { id: 'axis:cathedral', label: '▼ Cathedral (closed)' }, position: { x: layout.plotLeft + 4, y: layout.plotBottom + 14 }, classes: 'axis', selectable: false, grabbable: false });
  for (const edge of layout.edges) {
    elements.push({ data: { id: edge.id, source: edge.fromId, target: edge.toId, color: colorOf.get(edge.caseId) ?? '#888', caseId: edge.caseId }, classes: edge.skippedStages > 0 ? 'trajectory skipped' : 'trajectory' });
  }
  for (const node of layout.nodes) {
    elements.push({
      data: { id: node.id, caseId: node.caseId, stageId: node.stageId, label: labelOf(node.caseId), size: node.radius * 2, color: colorOf.get(node.caseId) ?? '#888' },
      position: { x: node.x, y: node.y },
      classes: node.overridden ? 'case overridden' : 'case',
      grabbable: false,
    });
  }
  return elements;
}

export function lifecycleStyle(layout: LifecycleLayout): StylesheetJson {
  return [
    { selector: '.column', style: { shape: 'round-rectangle', width: (n: cytoscape.NodeSingular) => layout.columns.find((c) => `col:${c.stageId}` === n.id())!.width - 12, height: layout.plotBottom - layout.plotTop + 40, 'background-color': '#f3f1ea', 'border-width': 0, label: 'data(label)', 'text-valign': 'top', 'text-margin-y': -8, 'font-size': 15, 'font-weight': 'bold', color: '#1f2328', events: 'no', 'z-index': 0 } },
    { selector: '.band', style: { shape: 'rectangle', width: 'data(w)', height: 'data(h)', 'background-color': '#1d5c96', 'background-opacity': 0.12, 'border-width': 0, events: 'no', 'z-index': 1 } },
    { selector: '.median', style: { shape: 'rectangle', width: 'data(w)', height: 3, 'background-color': '#1d5c96', 'border-width': 0, events: 'no', 'z-index': 1 } },
    { selector: '.summary', style: { width: 1, height: 1, 'background-opacity': 0, label: 'data(label)', 'font-size': 11, color: '#1d3f63', 'text-valign': 'center', events: 'no' } },
    { selector: '.axis', style: { width: 1, height: 1, 'background-opacity': 0, label: 'data(label)', 'text-halign': 'right', 'font-size': 12, 'font-weight': 'bold', color: '#545b64', events: 'no' } },
    { selector: 'node, edge', style: { 'z-index-compare': 'manual' } },
    { selector: '.trajectory', style: { width: 2, 'line-color': 'data(color)', opacity: 0.6, 'curve-style': 'straight', 'z-index': 2 } },
    { selector: '.trajectory.skipped', style: { 'line-style': 'dashed' } },
    { selector: '.case', style: { width: 'data(size)', height: 'data(size)', 'background-color': 'data(color)', 'border-width': 1.5, 'border-color': '#ffffff', label: 'data(label)', 'font-size': 11, 'text-halign': 'right', 'text-valign': 'center', 'text-margin-x': 5, color: '#1f2328', 'text-background-color': '#ffffff', 'text-background-opacity': 0.7, 'text-background-padding': '1px', 'z-index': 3 } },
    { selector: '.case.overridden', style: { 'border-color': '#1f2328', 'border-style': 'dashed', 'border-width': 2.5 } },
    { selector: '.case:selected', style: { 'border-color': '#f0b429', 'border-width': 4 } },
    { selector: '.dimmed', style: { opacity: 0.15 } },
  ];
}
