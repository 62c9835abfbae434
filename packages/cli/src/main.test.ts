import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import type { CliIO } from './io.js';
import { main } from './main.js';

const dir = mkdtempSync(join(tmpdir(), 'atomflow-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function file(content: unknown): string {
  const p = join(dir, `f${n++}.json`);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
}

async function cli(...argv: string[]): Promise<{ code: number; out: string[]; err: string[]; json: Array<Record<string, unknown>> }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (l) => out.push(l), err: (l) => err.push(l) };
  const code = await main(argv, io);
  const json = out.flatMap((l) => {
    try {
      return [JSON.parse(l) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
  return { code, out, err, json };
}

const linear = (id: string, children: unknown[]): unknown => ({ id, revision: 1, root: { kind: 'linear', name: 'f', children } });

describe('atomflow CLI', () => {
  it('run --trace prints the header, each transition with results, and the final line; exit 0', async () => {
    const r = await cli('run', file(linear('ok', [{ name: 'a', type: 'test.echo', config: { value: 1 }, provides: 'x' }])), '--trace');
    expect(r.code).toBe(0);
    expect(r.json[0]).toMatchObject({ flow: 'ok', revision: 1 });
    expect(r.json.slice(1)).toEqual([
      { flow: 'f', from: 'PENDING', to: 'RUNNING' },
      { atom: 'a', from: 'PENDING', to: 'RUNNING' },
      { atom: 'a', from: 'RUNNING', to: 'SUCCESS', result: 1 },
      { flow: 'f', from: 'RUNNING', to: 'SUCCESS' },
      { final: { state: 'SUCCESS', results: { x: 1 } } },
    ]);
  });

  it('exit 1 when the run is reverted, with the failure in the final line', async () => {
    const r = await cli('run', file(linear('bad', [{ name: 'a', type: 'test.fail' }])), '--trace');
    expect(r.code).toBe(1);
    expect(r.json.at(-1)).toEqual({
      final: { state: 'REVERTED', results: {}, failure: { type: 'TestFailError', message: 'a failed (attempt 1)' } },
    });
  });

  it('invalid JSON, unknown fields, unknown atom types and bad inputs: a precise error and exit 2, never a stack trace', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['run', file('{"id": ')], /is not valid JSON/],
      [['run', file({ ...(linear('u', []) as object), bogus: 1 })], /\(root\): Unrecognized key: "bogus"/],
      [['run', file(linear('t', [{ name: 'a', type: 'no.such' }]))], /root\.children\.0\.type: unknown atom type "no\.such"/],
      [['run', file(linear('c', [{ name: 'a', type: 'test.echo' }])), '--inputs', '[1]'], /--inputs must be a JSON object/],
      [['run', join(dir, 'missing.json')], /cannot read .*missing\.json: no such file/],
      [
        ['run', file(linear('m', [{ name: 'a', type: 'test.echo', requires: ['need'] }]))],
        /"a" requires "need", which no atom provides and is not a run input/,
      ],
      [['frobnicate'], /unknown command "frobnicate"/],
      [['run', 'x.json', '--no-such-flag'], /Unknown option '--no-such-flag'/],
      [['resume'], /resume needs the durable store/],
    ];
    for (const [argv, message] of cases) {
      const r = await cli(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err.join('\n')).toMatch(message);
      expect(r.err.join('\n')).not.toMatch(/\n\s+at /);
      expect(r.json.filter((l) => 'from' in l)).toEqual([]);
    }
  });

  it('run and validate inline subflows read from ID.json next to the flow file', async () => {
    writeFileSync(
      join(dir, 'cli-pay.json'),
      JSON.stringify(
        linear('cli-pay', [{ name: 'charge', type: 'test.echo', config: { pick: 'amount' }, requires: ['amount'], provides: 'paid' }]),
      ),
    );
    const outer = file(
      linear('cli-orders', [
        { name: 'total', type: 'test.echo', config: { value: 7 }, provides: 'amount' },
        { name: 'pay', type: 'subflow', config: { flowId: 'cli-pay' } },
        { name: 'ship', type: 'transform', config: { expression: 'paid * 2', requires: ['paid'] }, provides: 'shipped' },
      ]),
    );
    expect((await cli('validate', outer)).json[0]).toEqual({ valid: true, flow: 'cli-orders', revision: 1, atoms: 3, inputs: [] });
    const r = await cli('run', outer, '--trace');
    expect(r.code).toBe(0);
    expect(r.json.filter((l) => l['to'] === 'SUCCESS' && l['atom']).map((l) => l['atom'])).toEqual(['total', 'pay.charge', 'ship']);
    expect(r.json.at(-1)).toMatchObject({ final: { state: 'SUCCESS', results: { amount: 7, paid: 7, shipped: 14 } } });

    const missing = await cli('run', file(linear('cli-lost', [{ name: 'pay', type: 'subflow', config: { flowId: 'cli-nowhere' } }])));
    expect(missing.code).toBe(2);
    expect(missing.err.join('\n')).toContain('root.children.0.config.flowId: no saved flow "cli-nowhere"');
    const pinned = await cli(
      'validate',
      file(linear('cli-pinned', [{ name: 'pay', type: 'subflow', config: { flowId: 'cli-pay', revision: 3 } }])),
    );
    expect(pinned.code).toBe(2);
    expect(pinned.err.join('\n')).toContain('flow "cli-pay" has no revision 3');
  });

  it('--base-url is where an http.request URL path goes; without it the path fails clearly; a bad one is a usage error', async () => {
    const server = createServer((req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path: req.url })),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const flow = file(linear('path', [{ name: 'call', type: 'http.request', config: { url: '/api/demo/echo?x=1' }, provides: 'r' }]));
      const ok = await cli('run', flow, '--base-url', base, '--trace');
      expect(ok.code).toBe(0);
      expect(ok.json.at(-1)).toMatchObject({
        final: { state: 'SUCCESS', results: { r: { status: 200, body: { path: '/api/demo/echo?x=1' } } } },
      });
      const none = await cli('run', flow, '--trace');
      expect(none.code).toBe(1);
      expect(none.json.at(-1)).toMatchObject({ final: { state: 'REVERTED', failure: { type: 'HttpNoBaseUrlError' } } });
      const bad = await cli('run', flow, '--base-url', 'localhost:3000');
      expect(bad.code).toBe(2);
      expect(bad.err.join('\n')).toContain('--base-url must be an http:// or https:// URL, got "localhost:3000"');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('validate lists every problem with its path', async () => {
    const r = await cli(
      'validate',
      file(
        linear('v', [
          { name: 'a', type: 'test.echo' },
          { name: 'a', type: 'test.echo' },
          { name: 'b', type: 'nope' },
        ]),
      ),
    );
    expect(r.code).toBe(2);
    expect(r.err[0]).toBe('invalid flow: 2 problems');
    const ok = await cli('validate', file(linear('v2', [{ name: 'a', type: 'test.echo', requires: ['x'] }])));
    expect(ok.code).toBe(0);
    expect(ok.json[0]).toEqual({ valid: true, flow: 'v2', revision: 1, atoms: 1, inputs: ['x'] });
  });

  it('run --stop-after suspends in the embedded database; resume continues from durable state', async () => {
    const db = join(dir, 'db');
    const flowFile = file(
      linear(
        'durable',
        ['a', 'b', 'c'].map((name) => ({ name, type: 'test.echo', config: { value: name } })),
      ),
    );
    const first = await cli('run', flowFile, '--trace', '--db', db, '--stop-after', 'a');
    expect(first.code).toBe(1);
    expect(first.json.at(-1)).toMatchObject({ final: { state: 'SUSPENDED' } });
    const second = await cli('resume', '--db', db, '--trace');
    expect(second.code).toBe(0);
    expect(second.json.filter((l) => 'atom' in l).map((l) => `${String(l['atom'])}:${String(l['to'])}`)).toEqual([
      'b:RUNNING',
      'b:SUCCESS',
      'c:RUNNING',
      'c:SUCCESS',
    ]);
    const none = await cli('resume', '--db', db);
    expect(none.code).toBe(0);
    expect(none.err[0]).toMatch(/no unfinished runs/);
  }, 60_000);

  it("on a shared database the CLI holds the run's lease: resume leaves a run another worker holds alone, and gives its own lease back", async () => {
    const { openDatabase } = await import('@atomflow/db');
    const db = join(dir, 'db-lease');
    const flowFile = file(
      linear(
        'leased',
        ['a', 'b'].map((name) => ({ name, type: 'test.echo', config: { value: name } })),
      ),
    );
    const first = await cli('run', flowFile, '--db', db, '--stop-after', 'a');
    expect(first.code).toBe(1);
    const runId = String(first.json.at(-1)!['run']);

    let opened = await openDatabase({ dataDir: db });
    try {
      expect(await opened.store.leaseOf(runId)).toBeUndefined(); // released when the CLI stopped
      expect(await opened.store.claimRun(runId, 'worker-x', 60_000)).toBe(true);
    } finally {
      await opened.close();
    }
    const refused = await cli('resume', runId, '--db', db);
    expect(refused.code).toBe(1);
    expect(refused.err.join('\n')).toMatch(/being executed by worker-x .*not resumed/);

    opened = await openDatabase({ dataDir: db });
    try {
      expect((await opened.store.loadRun(runId))!.flow.state).toBe('SUSPENDED'); // untouched
      await opened.store.releaseRun(runId, 'worker-x');
    } finally {
      await opened.close();
    }
    const resumed = await cli('resume', runId, '--db', db);
    expect(resumed.code).toBe(0);
    opened = await openDatabase({ dataDir: db });
    try {
      expect((await opened.store.loadRun(runId))!.flow.state).toBe('SUCCESS');
      expect(await opened.store.leaseOf(runId)).toBeUndefined();
    } finally {
      await opened.close();
    }
  }, 90_000);
});
