import { expect, type Page } from '@playwright/test';
import { join } from 'node:path';
import { compareUrgency, DECISION_CLASSES, gunfireHeadStartUs, type DecisionClass } from '../../src/contract/index.ts';
import { generateSeries } from '../../src/ingest/demo/generate.ts';
import { defaultNetwork } from '../../src/ingest/demo/network.ts';
import { writeBundle } from '../../src/ingest/demo/output.ts';
import { writeSimpleBundle } from '../support/bundles.ts';
import { adminClient, apiClient, personClient, PERSON_PASSWORD, startHostProcess, type RunningHost } from '../support/host.ts';
import { countPointerEvents, pointerEvents } from '../support/keyboard-only.ts';
import { signInPage } from '../support/seat-page.ts';
import { tempDir } from '../support/temp.ts';
import { it } from '../support/page-errors.ts';

/** Imports `n` small alerts in one call, detected a second apart, the oldest first. */
async function importAlerts(
  host: RunningHost,
  dir: string,
  n: number,
  o: { sensors?: number; durationS?: number; sampleRate?: number; prefix: string },
): Promise<number[]> {
  const now = Date.now() * 1000;
  const paths = Array.from(
    { length: n },
    (_, i) =>
      writeSimpleBundle(join(dir, `${o.prefix}-${i}`), {
        id: `${o.prefix}-${String(i).padStart(3, '0')}`,
        sensors: o.sensors ?? 3,
        durationS: o.durationS ?? 1.5,
        sampleRate: o.sampleRate ?? 8000,
        startUs: now - (n - i) * 1_000_000 - 2_100_000,
        shotsS: [0.3],
      }).dir,
  );
  const { outcomes } = await (await adminClient(host)).importFolders(paths);
  for (const x of outcomes) expect(x.status, x.message).toBe('imported');
  return outcomes.map((x) => x.alertId!);
}

it.describe('the review seat: people, keys, claims and the lock', () => {
  let data: ReturnType<typeof tempDir>;
  let host: RunningHost;

  it.beforeEach(async () => {
    data = tempDir('earwitness-e2e-seat-');
    host = await startHostProcess({ dataDir: join(data.dir, 'store') });
  });
  it.afterEach(async () => {
    await host.stop();
    data.cleanup();
  });

  it('the printed address leads a new store to its first administrator, who adds a reviewer', async ({ page }) => {
    await page.goto(host.address);
    const form = page.getByTestId('first-admin');
    await expect(form).toContainText('Nobody has an account yet');
    // Until then the core refuses everything but the first administrator.
    const stranger = await apiClient(host);
    expect(await stranger.dispatch('listAlerts', {})).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated', message: expect.stringMatching(/first administrator/) },
    });
    await form.getByLabel('Sign-in name').fill('ada');
    await form.getByLabel('Full name').fill('Ada Admin');
    await form.getByLabel(/^Password \(10/).fill('a long admin password');
    await form.getByLabel('Password again').fill('a long admin password');
    await form.getByRole('button', { name: /Create administrator/ }).click();
    await expect(page.getByTestId('actor')).toContainText('Ada Admin');
    // A second first administrator is refused by the core.
    expect(await stranger.dispatch('createFirstAdmin', { name: 'mallory', displayName: 'M', password: 'another long password' })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });

    await page.getByTestId('open-people').click();
    const add = page.getByTestId('add-person');
    await add.getByLabel('Sign-in name').fill('rita');
    await add.getByLabel('Full name').fill('Rita Reviewer');
    await add.getByLabel('First password').fill(PERSON_PASSWORD);
    await add.getByRole('button', { name: 'Add' }).click();
    const row = page.getByTestId('person-row').filter({ hasText: 'Rita Reviewer' });
    await expect(row.getByRole('checkbox', { name: 'rita: reviewer' })).toBeChecked();
    await expect(row.getByRole('checkbox', { name: 'rita: admin' })).not.toBeChecked();
    const rita = await (await apiClient(host)).signIn('rita', PERSON_PASSWORD);
    expect((await rita.call('getSeat', {})).person).toMatchObject({ name: 'rita', displayName: 'Rita Reviewer', roles: ['reviewer'] });
  });

  it('a reviewer signs in and handles 20 demo alerts with the keyboard alone; every decision stored with her name and a review time', async ({ page }) => {
    // Twenty alerts from the demo sensor network simulator (every scenario: gunfire, bursts, fireworks, backfires...).
    const paths = [...generateSeries({ network: defaultNetwork(), seed: 'seat-keys', count: 20, startUs: Date.now() * 1000 - 8 * 3_600_000_000 })].map((g) =>
      writeBundle(join(data.dir, 'demo'), g),
    );
    const admin = await adminClient(host);
    const { outcomes } = await admin.importFolders(paths);
    for (const x of outcomes) expect(x.status, x.message).toBe('imported');
    const ids = outcomes.map((x) => x.alertId!);
    // The order N must follow: the core's queue order (likely gunfire first by default), as the seat would compute it.
    const queue = await admin.call('getQueue', {});
    const inOrder = [...queue.alerts].sort(compareUrgency(queue.settings, queue.nowUs));
    expect(queue.settings.queueOrder).toBe('likely_gunfire_first');
    await personClient(host, 'rita', ['reviewer']);
    await countPointerEvents(page);
    const started = Date.now();
    await signInPage(page, host, 'rita');

    // A plan that uses every kind of decision key: digits, rounds up and down, flags, notes.
    // Rounds start at what the audio says (the locator's count, else the machine's).
    const heard = async (id: number) => {
      const a = await admin.call('getAlert', { id });
      return a.solutions.at(-1)?.rounds || a.machine?.rounds || 1;
    };
    type Plan = { cls: DecisionClass; keys: string[]; rounds: number | null; notes?: string; flags?: { fullyAutomatic: boolean; multipleShooters: boolean } };
    const plan = (i: number, prefilled: number): Plan => {
      switch (i % 5) {
        case 0:
          return { cls: 'gunfire_single', keys: ['1'], rounds: 1 };
        case 1:
          return {
            cls: 'gunfire_multiple',
            keys: ['2', '+', '+', '-', 'f'],
            rounds: Math.max(2, prefilled) + 1,
            flags: { fullyAutomatic: true, multipleShooters: false },
          };
        case 2:
          return { cls: 'probable_gunfire', keys: ['3', 'x'], rounds: prefilled, flags: { fullyAutomatic: false, multipleShooters: true } };
        case 3:
          return { cls: 'other', keys: ['9', 'e'], rounds: null, notes: `door slam ${i}` };
        default:
          return { cls: DECISION_CLASSES[3 + (i % 4)]!, keys: [String(4 + (i % 4))], rounds: null };
      }
    };
    const planned = new Map<number, Plan>();
    const incident = page.getByTestId('incident');
    const seen: number[] = [];
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press('n');
      await expect(incident).toHaveAttribute('data-mode', 'review');
      const id = Number(await incident.getAttribute('data-alert-id'));
      expect(seen).not.toContain(id);
      seen.push(id);
      await expect(incident).toHaveAttribute('data-status', 'pending');
      // Listen a little: Space plays all tracks, → jumps to the first pulse, Space pauses.
      if (i % 4 === 0) {
        await page.keyboard.press(' ');
        await page.keyboard.press('ArrowRight');
        await page.keyboard.press(' ');
      }
      const p = plan(i, await heard(id));
      planned.set(id, p);
      for (const k of p.keys) await page.keyboard.press(k);
      if (p.notes) {
        await expect(incident.getByTestId('notes')).toBeFocused();
        await page.keyboard.type(p.notes);
        await page.keyboard.press('Control+Enter');
      } else await page.keyboard.press('Enter');
      await expect(incident.getByTestId('decision-record')).toBeVisible();
    }
    await page.keyboard.press('n');
    await expect(page.getByTestId('stage-notice')).toContainText('No alert is waiting');
    expect(await pointerEvents(page), 'no pointer or mouse event reached the page').toBe(0);
    const finished = Date.now();

    expect([...seen].sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
    // The queue's order: every alert is hours late, and likely gunfire has a head start (two hours
    // by default): a gunshot is served before older fireworks, unless they waited longer than that.
    expect(seen).toEqual(inOrder.map((a) => a.id));
    const byId = new Map(inOrder.map((a) => [a.id, a]));
    const likely = (id: number) => gunfireHeadStartUs(byId.get(id)!.machine?.label, queue.settings.gunfireHeadStartSeconds) > 0;
    const jumped = seen.some(
      (id, i) => likely(id) && seen.slice(i + 1).some((later) => !likely(later) && byId.get(later)!.detectedUs < byId.get(id)!.detectedUs),
    );
    expect(jumped, 'a likely gunfire alert was served before an older alert of another kind').toBe(true);
    const check = await adminClient(host);
    for (const id of seen) {
      const [d] = (await check.call('getAlert', { id })).decisions;
      const p = planned.get(id)!;
      expect(d, `alert ${id}`).toMatchObject({
        class: p.cls,
        rounds: p.rounds,
        decidedBy: 'rita',
        undoneUs: null,
        notes: p.notes ?? '',
        flags: p.flags ?? { fullyAutomatic: false, multipleShooters: false },
      });
      expect(d!.reviewMs).toBeGreaterThan(0);
      expect(d!.reviewMs).toBeLessThan(finished - started);
      expect(d!.decidedUs / 1000).toBeGreaterThanOrEqual(started - 1000);
      expect(d!.decidedUs / 1000).toBeLessThanOrEqual(finished + 1000);
    }
  });

  it('two reviewers in two browsers pull "next" 50 times each at once and never receive the same alert', async ({ browser }) => {
    // 100 alerts decided through two browsers: about a minute on an idle two-core machine, more when it is shared.
    it.setTimeout(300_000);
    const ids = await importAlerts(host, data.dir, 100, { prefix: 'RACE', sensors: 2, durationS: 0.8 });
    await personClient(host, 'rita', ['reviewer']);
    await personClient(host, 'ruth', ['reviewer']);
    const contexts = await Promise.all([browser.newContext(), browser.newContext()]);
    try {
      const pages = await Promise.all(contexts.map((c) => c.newPage()));
      await signInPage(pages[0]!, host, 'rita');
      await signInPage(pages[1]!, host, 'ruth');
      const pull = async (page: Page) => {
        const got: number[] = [];
        const incident = page.getByTestId('incident');
        for (let i = 0; i < 50; i++) {
          await page.keyboard.press('n');
          await expect(incident).toHaveAttribute('data-mode', 'review');
          await expect(incident).toHaveAttribute('data-status', 'pending');
          got.push(Number(await incident.getAttribute('data-alert-id')));
          await page.keyboard.press('4');
          await page.keyboard.press('Enter');
          await expect(incident.getByTestId('decision-record')).toBeVisible();
        }
        return got;
      };
      const [a, b] = await Promise.all([pull(pages[0]!), pull(pages[1]!)]);
      expect(new Set(a).size).toBe(50);
      expect(new Set(b).size).toBe(50);
      expect(a.filter((id) => b.includes(id))).toEqual([]);
      expect([...a, ...b].sort((x, y) => x - y)).toEqual([...ids].sort((x, y) => x - y));
      const admin = await adminClient(host);
      const decided = (await admin.call('listAlerts', { status: 'decided', limit: 1000 })).alerts;
      expect(decided).toHaveLength(100);
      // Decisions drawn for a blind second review are sealed in any listing, an admin's too; the
      // admin opens each such alert (a recorded look) to see who decided it.
      for (const s of decided) {
        const decision = s.decision ?? (await admin.call('getAlert', { id: s.id })).decision;
        expect(decision!.decidedBy).toBe(a.includes(s.id) ? 'rita' : 'ruth');
      }
    } finally {
      await Promise.all(contexts.map((c) => c.close()));
    }
  });

  it('an idle seat locks: the alert goes back to the queue, the core refuses the seat, the password opens it again', async ({ page }) => {
    const [first] = await importAlerts(host, data.dir, 2, { prefix: 'IDLE' });
    await (await adminClient(host)).call('setSeatSettings', { idleLockSeconds: 5 });
    await personClient(host, 'rita', ['reviewer']);
    // The page's own seat (the session header its calls carry), to call the core as the page would.
    let seatSession: string | undefined;
    page.on('request', (r) => (seatSession = r.headers()['x-earwitness-session'] ?? seatSession));
    // The administrator's API seat would lock too when idle: each look is a fresh sign-in.
    const claimOf = async (id: number) => (await (await adminClient(host)).call('getQueue', {})).alerts.find((a) => a.id === id)!.claim;
    await signInPage(page, host, 'rita');
    await page.keyboard.press('n');
    const incident = page.getByTestId('incident');
    await expect(incident).toHaveAttribute('data-alert-id', String(first));
    expect(await claimOf(first!)).toMatchObject({ by: 'rita' });

    // No input for five seconds: the lock covers everything and the claim is released.
    const lock = page.getByTestId('lock-screen');
    await expect(lock).toBeVisible({ timeout: 12_000 });
    await expect(incident).toBeHidden();
    await expect(page.getByTestId('queue-pending')).toBeHidden();
    await expect.poll(() => claimOf(first!), { timeout: 5000 }).toBeNull();
    // The core refuses the seat's calls, not only the screen: a decision sent from this page is refused.
    const refused = await page.evaluate(
      async ({ alertId, sessionId }) => {
        const res = await fetch('/api/decide', {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${(globalThis as unknown as { sessionStorage: { getItem(k: string): string } }).sessionStorage.getItem('earwitness.token')}`,
            'x-earwitness-session': sessionId,
          },
          body: JSON.stringify({ alertId, class: 'fireworks', reviewMs: 1 }),
        });
        return res.json();
      },
      { alertId: first!, sessionId: seatSession! },
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'unauthenticated', details: { locked: true } } });

    // A wrong password is refused; the right one opens the seat, and the alert is claimed again.
    await expect(lock.getByLabel('Password')).toBeFocused();
    await page.keyboard.type('not the password');
    await page.keyboard.press('Enter');
    await expect(lock.getByRole('alert')).toContainText('wrong password');
    await expect(lock).toBeVisible();
    await page.keyboard.type(PERSON_PASSWORD);
    await page.keyboard.press('Enter');
    await expect(lock).toBeHidden();
    await expect(incident).toBeVisible();
    await expect(incident).toHaveAttribute('data-mode', 'review');
    await expect.poll(async () => (await claimOf(first!))?.by).toBe('rita');
  });

  it("a reviewer is refused an administrator's action by the core, whatever the screen shows", async () => {
    const rita = await personClient(host, 'rita', ['reviewer']);
    const tries = [
      await rita.dispatch('createAccount', { name: 'eve', displayName: 'Eve', password: 'a password for eve', roles: ['admin'] }),
      await rita.dispatch('listAccounts', {}),
      await rita.dispatch('setSeatSettings', { idleLockSeconds: 86400 }),
      await rita.dispatch('setAccountRoles', { accountId: 1, roles: [] }),
    ];
    for (const r of tries) expect(r).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/needs the role admin/) } });
    const admin = await adminClient(host);
    expect((await admin.call('listAccounts', {})).accounts.map((a) => a.name)).toEqual(['admin', 'rita']);
    expect((await admin.call('getSeat', {})).settings.idleLockSeconds).toBe(900);
    // An auditor may look at alerts but not review them.
    const otto = await personClient(host, 'otto', ['auditor']);
    expect(await otto.dispatch('claimNext', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await otto.dispatch('listAlerts', {})).toMatchObject({ ok: true });
  });
});
