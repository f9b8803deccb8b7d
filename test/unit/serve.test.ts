import { once } from 'node:events';
import { createServer } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveRequest, startServer } from '../../bin/serve.mjs';

const root = path.resolve('/srv/cartography/dist/renderer');

describe('web server path resolution', () => {
  it('serves index.html at the root and files below it', () => {
    expect(resolveRequest(root, '/')).toBe(path.join(root, 'index.html'));
    expect(resolveRequest(root, '/assets/index-abc.js?v=1')).toBe(path.join(root, 'assets/index-abc.js'));
  });

  it('refuses anything that would leave the folder', () => {
    for (const attempt of ['/../package.json', '/assets/../../secret', '/%2e%2e/%2e%2e/etc/passwd', '/..%5c..%5cwin.ini', '/a%00b', '/%E0%A4%A']) {
      expect(resolveRequest(root, attempt), attempt).toBeNull();
    }
  });
});

describe('web server port', () => {
  it('fails on a busy port instead of moving to another one', async () => {
    const blocker = createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const port = (blocker.address() as { port: number }).port;
    await expect(startServer({ port, root })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    blocker.close();
  });
});
