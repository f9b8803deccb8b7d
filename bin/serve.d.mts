import type { Server } from 'node:http';
export declare const DEFAULT_PORT: number;
export declare function resolveRequest(root: string, urlPath: string): string | null;
export declare function startServer(options?: { port?: number; root?: string; host?: string }): Promise<{ server: Server; url: string }>;
