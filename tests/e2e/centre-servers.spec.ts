import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import { join } from 'node:path';
import pg from 'pg';
import { findPgBin } from '../../scripts/pg-cluster.mjs';
import { openCore, type Core } from '../../src/core/core.ts';
import { startHost, type Host } from '../../src/host/server.ts';
import { PostgresStore } from '../../src/store/postgres/store.ts';
import { launchOptions, trustingOnly } from '../support/browser.ts';
import { centreCertificates, freePort } from '../support/centre-tls.ts';
import { REPO } from '../support/host.ts';
import { importSmallAlerts } from '../support/seats.ts';
import { tcpBalancer, type TcpBalancer } from '../support/tcp-balancer.ts';
import { tempDir } from '../support/temp.ts';
import { benchDatabase, type BenchDatabase } from '../support/throwaway-postgres.ts';

/**
 * Two servers of a centre on one PostgreSQL database, in Chromium (issue 13): two browsers, one on
 * each server, share the queue (each N takes another alert, a decision on one reaches the other
 * live); and a seat behind the centre's balancer whose server goes away carries on at the other,
 * signed in, its alert still open and its own.
 */
const PASSWORD = 'centre password for tests';
const pgBin = findPgBin();
test.skip(pgBin.bin === null && !process.env.CI, `no PostgreSQL here: ${pgBin.reason ?? ''}`);

let tmp: ReturnType<typeof tempDir>;
let db: BenchDatabase;
const cores: Core[] = [];
const hosts: Host[] = [];
let balancer: TcpBalancer;
let browser: Browser;
let certs: ReturnType<typeof centreCertificates>;

/** A centre server: a host over TLS on `core`, answering to `publicOrigin` (its own address by default). */
async function serve(core: Core, publicOrigin?: (port: number) => string): Promise<Host> {
  const port = await freePort();
  const origin = publicOrigin ? publicOrigin(port) : `https://127.0.0.1:${port}`;
  const host = await startHost({
    core,
    rendererDir: join(REPO, 'dist', 'renderer'),
    network: { listenHost: '127.0.0.1', port, publicOrigin: origin, tls: { certPem: certs.certPem, keyPem: certs.keyPem } },
  });
  hosts.push(host);
  return host;
}

test.beforeAll(async () => {
  tmp = tempDir('earwitness-e2e-servers-');
  db = await benchDatabase();
  certs = centreCertificates(tmp.dir);
  for (const name of ['a', 'b']) {
    const port = await PostgresStore.open(db.url, { migrations: false, max: 5 });
    await port.listening();
    cores.push(openCore({ dataDir: join(tmp.dir, name), storePort: port }));
  }
  const [a] = cores as [Core, Core];
  const cli = a.cliSession();
  for (const [name, role] of [
    ['rita', 'reviewer'],
    ['ruth', 'reviewer'],
    ['rosa', 'reviewer'],
    ['ada', 'admin'],
  ] as const)
    expect((await a.dispatch(cli, 'createAccount', { name, displayName: name[0]!.toUpperCase() + name.slice(1), password: PASSWORD, roles: [role] })).ok).toBe(
      true,
    );
  const now = Date.now() * 1000;
  await importSmallAlerts(a, join(tmp.dir, 'in'), [now - 40_000_000, now - 30_000_000, now - 20_000_000, now - 10_000_000]);
  browser = await chromium.launch(launchOptions([trustingOnly(certs.certPem)]));
});

test.afterAll(async () => {
  await browser?.close();
  for (const h of hosts) await h.close();
  await balancer?.close();
  for (const c of cores) await c.close();
  await db?.close();
  tmp?.cleanup();
});

async function signIn(page: Page, url: string, name: string): Promise<void> {
  await page.goto(url);
  await expect(page.getByTestId('sign-in').getByLabel('Name')).toBeFocused({ timeout: 30_000 });
  await page.keyboard.type(name);
  await page.keyboard.press('Tab');
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('actor')).toContainText(name[0]!.toUpperCase() + name.slice(1), { timeout: 30_000 });
}

/** The alert the seat holds: once its claim is confirmed (N may first show the alert it predicts, and move on if another seat took it). */
async function openAlertId(page: Page): Promise<number> {
  await expect(page.getByTestId('incident')).toHaveAttribute('data-mode', 'review', { timeout: 15_000 });
  return Number(await page.getByTestId('incident').getAttribute('data-alert-id'));
}

test('two browsers on two servers share the queue', async () => {
  const [a, b] = cores as [Core, Core];
  const [onA, onB] = [await serve(a), await serve(b)];
  const rita = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  const ruth = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  await signIn(rita, onA.url, 'rita');
  await signIn(ruth, onB.url, 'ruth');

  await rita.keyboard.press('n');
  await expect(rita.getByTestId('incident')).toBeVisible({ timeout: 30_000 });
  await ruth.keyboard.press('n');
  await expect(ruth.getByTestId('incident')).toBeVisible({ timeout: 30_000 });
  const [ritas, ruths] = [await openAlertId(rita), await openAlertId(ruth)];
  expect(ritas).not.toBe(ruths);
  // Ruth's queue, served by the other server, shows Rita on her alert.
  await expect(ruth.locator(`[data-testid=queue-item][data-alert-id="${ritas}"] [data-testid=queue-claim]`)).toContainText('rita');

  // Rita decides by keyboard; her alert leaves Ruth's pending queue as the decision commits on the other server.
  await rita.keyboard.press('4');
  await rita.keyboard.press('Enter');
  await expect(rita.getByTestId('decision-record')).toBeVisible();
  await expect(ruth.locator(`[data-testid=queue-item][data-alert-id="${ritas}"]`)).toHaveCount(0, { timeout: 15_000 });
  await ruth.screenshot({ path: join(REPO, 'test-results', 'centre-two-servers.png') });
});

test('an administrator on one server sees a seat held by the other, and signs it out', async () => {
  const [a, b] = cores as [Core, Core];
  const [onA, onB] = [await serve(a), await serve(b)];
  const rosa = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  const ada = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  await signIn(rosa, onA.url, 'rosa');
  await signIn(ada, onB.url, 'ada');

  await ada.getByTestId('open-people').click();
  const seats = ada.getByTestId('open-seats');
  const rosaRow = seats.locator('[data-testid=seat-row][data-name=rosa]');
  await expect(rosaRow).toContainText('on another server');
  await expect(seats.locator('[data-testid=seat-row][data-name=ada]')).toContainText('this seat');
  await expect(seats.locator('[data-testid=seat-row][data-name=ada]')).not.toContainText('on another server');
  await seats.scrollIntoViewIfNeeded();
  await ada.screenshot({ path: join(REPO, 'test-results', 'centre-seat-on-another-server.png') });

  // Ended on b, signed out in the database; a drops its copy and Rosa's tab asks for sign-in again.
  await rosaRow.getByRole('button', { name: 'Sign out' }).click();
  await expect(rosaRow).toHaveCount(0);
  await expect(rosa.getByTestId('sign-in')).toBeVisible({ timeout: 30_000 });
  await rosa.context().close();
  await ada.context().close();
});

test("a seat behind the centre's balancer goes on at the other server when its own goes away", async () => {
  const [a, b] = cores as [Core, Core];
  const ports: number[] = [];
  balancer = await tcpBalancer(ports);
  const origin = () => `https://127.0.0.1:${balancer.port}`;
  const [viaA, viaB] = [await serve(a, origin), await serve(b, origin)];
  ports.push(viaA.port, viaB.port);

  const ruth = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  await signIn(ruth, `${origin()}/`, 'ruth');
  await ruth.keyboard.press('n');
  await expect(ruth.getByTestId('incident')).toBeVisible({ timeout: 30_000 });
  const held = await openAlertId(ruth);
  expect(balancer.passed.get(viaB.port)).toBeUndefined();

  // Server a's host goes away: its connections cut, its port closed. Ruth's tab reconnects through the balancer.
  await viaA.close();
  await expect(ruth.getByTestId('sign-in')).toHaveCount(0);
  // Her next heartbeat reaches b, which took her seat over: still signed in, the alert still open and hers.
  await expect.poll(() => balancer.passed.get(viaB.port) ?? 0, { timeout: 30_000 }).toBeGreaterThan(0);
  await expect(ruth.getByTestId('actor')).toContainText('Ruth');
  expect(await openAlertId(ruth)).toBe(held);
  const claim = await b.storePort.read((tx) => tx.claims.get(held));
  expect(claim).toMatchObject({ by: 'ruth' });
  await ruth.keyboard.press('4');
  await ruth.keyboard.press('Enter');
  await expect(ruth.getByTestId('decision-record')).toBeVisible({ timeout: 15_000 });
  await expect(ruth.getByTestId('sign-in')).toHaveCount(0);
  const seat = await b.storePort.read(async (tx) => (await tx.seatSessions.list()).find((s) => s.server === b.runId));
  expect(seat).toMatchObject({ locked: false });
  const log = new pg.Client(db.url);
  await log.connect();
  const taken = await log.query<{ actor: string }>("SELECT actor FROM audit_log WHERE action = 'session.taken_over'");
  await log.end();
  expect(taken.rows.map((r) => r.actor)).toEqual(['ruth']);
});
