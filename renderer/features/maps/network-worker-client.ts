/**
 * The UI side of the network layout worker: promise-based requests matched to answers by
 * id. A component starts one client and terminates it when it goes.
 */
import type { ForceEdge, ForceNode, ForceRequest, ForceResponse } from './network-force.ts';

interface WorkerLike {
  postMessage(message: ForceRequest): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<ForceResponse>) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
  terminate(): void;
}

export class ForceLayoutClient {
  readonly #worker: WorkerLike;
  readonly #pending = new Map<number, { resolve(positions: Record<string, { x: number; y: number }>): void; reject(error: Error): void }>();
  #nextId = 1;
  #failure: Error | null = null;

  constructor(worker?: WorkerLike) {
    this.#worker = worker ?? (new Worker(new URL('./network-worker.ts', import.meta.url), { type: 'module', name: 'cartography-network-layout' }) as unknown as WorkerLike);
    this.#worker.addEventListener('message', (event) => {
      const answer = event.data;
      const pending = this.#pending.get(answer.id);
      if (!pending) return;
      this.#pending.delete(answer.id);
      if ('error' in answer) pending.reject(new Error(answer.error));
      else pending.resolve(answer.positions);
    });
    this.#worker.addEventListener('error', (event) => {
      this.#failure = new Error(event.message || 'The layout worker failed to start.');
      this.#rejectAll(this.#failure);
    });
  }

  /** The force-directed places of these nodes (by id). */
  layout(nodes: ForceNode[], edges: ForceEdge[]): Promise<Record<string, { x: number; y: number }>> {
    if (this.#failure) return Promise.reject(this.#failure);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, nodes, edges });
    });
  }

  terminate(): void {
    this.#worker.terminate();
    this.#rejectAll(new Error('The layout worker was stopped.'));
  }

  #rejectAll(error: Error): void {
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }
}
