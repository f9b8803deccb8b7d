/** The force-directed layout off the UI thread: one request at a time, answered in order (network-force.ts). */
import { forceLayout, type ForceRequest, type ForceResponse } from './network-force.ts';

interface WorkerScope {
  postMessage(message: ForceResponse): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<ForceRequest>) => void): void;
}
const scope = self as unknown as WorkerScope;

scope.addEventListener('message', (event) => {
  const { id, nodes, edges } = event.data;
  const started = performance.now();
  try {
    scope.postMessage({ id, positions: forceLayout(nodes, edges), ms: performance.now() - started });
  } catch (error) {
    scope.postMessage({ id, error: (error as Error).message || String(error) });
  }
});
