/**
 * The incident view in Chromium, through the loopback host, on the real core.
 *
 * - view.alert_to_view_ms: from an alert's import commit (the host's alertAdded event, sent right
 *   after the transaction, as a listening seat receives it) to its incident view fully drawn on a
 *   reviewer's seat that opens new alerts by itself: every track's waveform drawn, spectrograms off, the map's source marker placed.
 *   6 sensors x 4 s at 48 kHz from the demo simulator, each alert with its own clip bytes; median
 *   of 20. Baseline, in the same run, alternating: the same view with `?waveform=decode`, where
 *   wavesurfer fetches and decodes every clip itself instead of drawing the core's peaks.
 * - view.next_key_to_view_ms: from the N key to the next waiting alert fully drawn (the same
 *   criteria), the reviewer working through a queue: alerts imported, the seat sits on its queue
 *   a moment (as a reviewer reads it), then N. Median over every press (the first after sign-in
 *   and the one after it). Baseline, alternating in the same run: `?waveform=decode`.
 * - view.first_key_after_sign_in_ms: the first of those presses after each sign-in alone
 *   (the issue: the first alert after sign-in must open as fast as the rest); baseline: the
 *   second press of the same sign-ins.
 * - view.renderer_mb_after_300: the page's renderer process memory (RSS) after opening 300 alerts
 *   one after another (each drawn, then decided by key), garbage collected; baseline: after 10.
 *   Measured in a Chromium with no network inspection (see ../raw-chromium.ts).
 * - view.renderer_heap_mb_after_300: the same for the JavaScript heap alone.
 */
import { chromium, type Browser, type Page } from '@playwright/test';
import { linkSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { browserAvailable, launchOptions } from '../../support/browser.ts';
import { defaultNetwork } from '../../../src/ingest/demo/network.ts';
import { renderAlert, writeBundle, type GeneratedAlert } from '../../../src/ingest/demo/output.ts';
import { planAlert } from '../../../src/ingest/demo/plan.ts';
import { parseIsoMicros } from '../../../src/util/time.ts';
import { adminClient, personClient, PERSON_PASSWORD, startHostProcess, type ApiClient, type RunningHost } from '../../support/host.ts';
import { WebSocket } from 'ws';
import { RawChromium } from '../raw-chromium.ts';
import type { BenchSuite, Figure } from '../types.ts';

const SENSORS = 6;

function baseAlert(): GeneratedAlert {
  const plan = planAlert({
    network: defaultNetwork(),
    seed: 'bench-view',
    index: 1,
    scenario: 'single_shot',
    minSensors: SENSORS,
    maxSensors: SENSORS,
    durationS: 4,
    sampleRate: 48_000,
    encoding: 'pcm16',
  });
  return renderAlert(plan, { epochUs: parseIsoMicros('2026-06-14T21:00:00Z'), id: 'VIEW-0' });
}

/** The base alert with a new id and, unless `sameAudio`, new bytes at the end of each clip (so no cache serves them). */
function variant(base: GeneratedAlert, id: string, i: number): GeneratedAlert {
  const clips = base.clips.map((c, k) => {
    const bytes = Buffer.from(c.bytes);
    for (let s = 1; s <= 4; s++) bytes.writeInt16LE(((i * 7 + k * 13 + s) % 64) - 32, bytes.length - 2 * s);
    return { name: c.name, bytes };
  });
  return { ...base, id, alert: { ...base.alert, id }, clips };
}

/** A bundle sharing the clip files of another (hard links: the importer refuses symlinks leaving a bundle). */
function linkedBundle(from: string, dir: string, id: string): string {
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(from)) if (f.endsWith('.wav')) linkSync(join(from, f), join(dir, f));
  const alert = JSON.parse(readFileSync(join(from, 'alert.json'), 'utf8')) as { id: string };
  writeFileSync(join(dir, 'alert.json'), JSON.stringify({ ...alert, id }));
  return dir;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function signIn(page: Page, url: string, name: string): Promise<void> {
  // Through a blank page: the same address with only the #token changed would not load the page again.
  await page.goto('about:blank');
  await page.goto(url);
  await page.getByTestId('sign-in').getByLabel('Name').waitFor();
  await page.keyboard.type(name);
  await page.keyboard.press('Tab');
  await page.keyboard.type(PERSON_PASSWORD);
  await page.keyboard.press('Enter');
  await page.getByTestId('tab-pending').waitFor();
}

/**
 * Resolves, in page time (ms since the epoch, as the core's clock counts), when the view of an
 * alert numbered above `afterId` is fully drawn. Started before the import, so nothing is missed.
 */
function drawnAt(page: Page, afterId: number, tracks: number): Promise<number> {
  return page
    .waitForFunction(
      ({ id, n }) => {
        const d = (
          globalThis as unknown as {
            document: { querySelector(s: string): { getAttribute(a: string): string | null } | null; querySelectorAll(s: string): { length: number } };
          }
        ).document;
        const incident = d.querySelector('[data-testid=incident]');
        if (!incident || Number(incident.getAttribute('data-alert-id')) <= id) return false;
        if (d.querySelectorAll('[data-testid=track][data-drawn=true]').length !== n || !d.querySelector('[data-testid=incident-map] path.map-source'))
          return false;
        return performance.timeOrigin + performance.now();
      },
      { id: afterId, n: tracks },
      { polling: 'raf', timeout: 30_000 },
    )
    .then((h) => h.jsonValue() as Promise<number>);
}

/** Decides the open alert from the keyboard (fireworks) and leaves it, so the seat is free for the next one. */
async function decideAndLeave(page: Page): Promise<void> {
  await page.keyboard.press('4');
  await page.keyboard.press('Enter');
  await page.getByTestId('decision-record').waitFor();
  await page.keyboard.press('Escape');
  await page.getByTestId('incident').waitFor({ state: 'detached' });
}

/**
 * When each alert was committed, as seen from outside: a seat of the bench's own listens to the
 * host's events; `alertAdded` is sent right after the import's transaction commits.
 */
async function commitWatcher(host: RunningHost, api: ApiClient) {
  const committedAt = new Map<number, number>();
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api/events?session=${api.sessionId}`, {
    origin: host.origin.replace(/\/$/, ''),
    headers: { authorization: `Bearer ${host.token}` },
  });
  ws.on('message', (m) => {
    const at = performance.timeOrigin + performance.now();
    const e = JSON.parse(String(m)) as { event: string; payload: { alert?: { id: number } } };
    if (e.event === 'alertAdded' && e.payload.alert) committedAt.set(e.payload.alert.id, at);
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  return { committedAt: (id: number) => committedAt.get(id), close: () => ws.close() };
}

async function importOne(admin: ApiClient, dir: string): Promise<number> {
  const { outcomes } = await admin.importFolders([dir]);
  if (outcomes[0]?.status !== 'imported') throw new Error(`bench alert not imported: ${outcomes[0]?.message}`);
  return outcomes[0].alertId!;
}

/** Signs in through the sign-in form, from inside the page (React's inputs need the native value setter). */
const pageSignIn = (name: string, password: string) => `(async () => {
  const until = async (f) => { const t = performance.now(); while (!f()) { if (performance.now() - t > 30000) throw new Error('sign-in form never showed'); await new Promise((r) => setTimeout(r, 20)); } };
  await until(() => document.querySelector('[data-testid=sign-in] input[name=password]'));
  const set = (el, v) => { Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(el, v); el.dispatchEvent(new Event('input', { bubbles: true })); };
  set(document.querySelector('[data-testid=sign-in] input[name=username]'), ${JSON.stringify(name)});
  set(document.querySelector('[data-testid=sign-in] input[name=password]'), ${JSON.stringify(password)});
  await new Promise((r) => setTimeout(r, 50));
  document.querySelector('[data-testid=sign-in]').requestSubmit();
  await until(() => document.querySelector('[data-testid=tab-pending]'));
})()`;

/** Opens \`n\` alerts one after another from the keyboard (N, wait until drawn, 4 Enter to decide, Esc to leave). */
const openAlerts = (n: number, tracks: number) => `(async () => {
  // One key per task, as a keyboard delivers them.
  const key = async (k) => { dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true })); await new Promise((r) => setTimeout(r, 0)); };
  const until = async (f, what) => { const t = performance.now(); while (!f()) { if (performance.now() - t > 30000) throw new Error('timed out waiting for ' + what); await new Promise((r) => requestAnimationFrame(r)); } };
  for (let i = 0; i < ${n}; i++) {
    await key('n');
    await until(() => document.querySelector('[data-testid=incident][data-mode=review]') && document.querySelectorAll('[data-testid=track][data-drawn=true]').length === ${tracks} && document.querySelector('[data-testid=incident-map] path.map-source'), 'a drawn alert');
    await key('4');
    await key('Enter');
    await until(() => document.querySelector('[data-testid=decision-record]'), 'the decision');
    await key('Escape');
    await until(() => !document.querySelector('[data-testid=incident]'), 'the stage to empty');
  }
})()`;

/** Presses N in the page (one key event, as a keyboard sends it) and resolves, in page time, when it was pressed. */
const pressNext = (page: Page): Promise<number> =>
  page.evaluate(`(() => {
    const at = performance.timeOrigin + performance.now();
    dispatchEvent(new KeyboardEvent('keydown', { key: 'n', bubbles: true, cancelable: true }));
    return at;
  })()`);

/**
 * N-key to drawn, twice per sign-in: alerts wait in the queue, the reviewer looks at it for a
 * moment, presses N, decides, leaves, looks again, presses N.
 */
async function nextKeyTimes(page: Page, host: RunningHost, url: string, bundles: string, base: GeneratedAlert, tag: string, serial: () => number) {
  const api = await adminClient(host);
  await signIn(page, url, 'bench');
  const dirs = [0, 1].map(() => {
    const n = serial();
    return writeBundle(bundles, variant(base, `VIEW-${tag}-${n}`, n));
  });
  await api.importFolders(dirs);
  await page.getByTestId('queue-pending').getByTestId('queue-item').nth(1).waitFor();
  // The bench's own machinery set up before the key: the first waitForFunction of a page load
  // builds Playwright's injected script in the page's main world, compiling it on the page's main
  // thread. Left to drawnAt, that landed inside the first N of every sign-in and was charged to the
  // seat: 119 against 77 ms for the second N in one run, 86 against 83 ms with this line.
  await page.waitForFunction(() => true, null, { polling: 'raf' });
  const times: number[] = [];
  const phases: Record<string, number>[] = [];
  for (let k = 0; k < 2; k++) {
    await page.waitForTimeout(800); // a reviewer glancing at the queue
    // The stage is empty (the last alert was left): the first view drawn is the one N opened.
    const drawn = drawnAt(page, 0, SENSORS);
    const pressed = await pressNext(page);
    const drawnAtMs = await drawn;
    times.push(drawnAtMs - pressed);
    // Read once decided: the claim is confirmed beside the drawing now, often after it.
    await decideAndLeave(page);
    phases.push(await phasesSince(page, pressed, drawnAtMs));
  }
  return { times, phases };
}

/**
 * Where the time after N went, from the seat's performance marks (useReview, useAlertDetail,
 * useClipWave): ms after the key for the claim's answer, the detail and peaks (0 when they were
 * prefetched), the first wavesurfer made (none unless a view needs one) and the last track drawn.
 * Marks are cleared for the next press.
 */
const phasesSince = (page: Page, pressedAt: number, drawnAt: number): Promise<Record<string, number>> =>
  page.evaluate(`(() => {
    const out = {};
    for (const m of performance.getEntriesByType('mark')) {
      if (!m.name.startsWith('ew:')) continue;
      const name = m.name.slice(3);
      const ms = Math.max(0, performance.timeOrigin + m.startTime - ${pressedAt});
      // The last track drawn before the view counted as drawn (a later resize draws again).
      if (name === 'track-drawn') { if (performance.timeOrigin + m.startTime <= ${drawnAt}) out[name] = Math.max(out[name] ?? 0, ms); }
      else if (!(name in out) || out[name] === 0) out[name] = ms;
    }
    // The requests on the way (resource timing): sent (>) and answered (<), the first of each after the key.
    for (const r of performance.getEntriesByType('resource')) {
      const method = ['claimNext', 'getAlert', 'getPeaks'].find((m) => r.name.endsWith('/api/' + m));
      if (!method || performance.timeOrigin + r.startTime < ${pressedAt} || method + '>' in out) continue;
      out[method + '>'] = performance.timeOrigin + r.startTime - ${pressedAt};
      out[method + '<'] = performance.timeOrigin + r.responseEnd - ${pressedAt};
    }
    performance.clearMarks();
    performance.clearResourceTimings();
    return out;
  })()`);

const phaseSummary = (phases: Record<string, number>[], names = ['claimed', 'detail', 'view-mounted', 'peaks', 'wave-created', 'track-drawn', 'map-source']) =>
  names
    .map((name) => ({ name, values: phases.map((p) => p[name] ?? Number.NaN).filter((x) => !Number.isNaN(x)) }))
    // wavesurfer is made only when a zoom or spectrogram needs it: usually no such mark at all.
    .map(({ name, values }) => `${name} ${values.length ? median(values).toFixed(0) : 'none'}`)
    .join(', ');

const ARGS = ['--autoplay-policy=no-user-gesture-required', '--disable-background-timer-throttling', '--disable-renderer-backgrounding'];

export const suite: BenchSuite = {
  name: 'view',
  async run(ctx) {
    if (!browserAvailable()) {
      ctx.log('skipped: no Chrome or Chromium on this machine and none in node_modules (npm install, or set CHROMIUM_PATH)');
      return [];
    }
    const runs = ctx.quick ? 3 : 20;
    const opens = ctx.quick ? 30 : 300;
    const base = baseAlert();
    const bundles = join(ctx.workDir, 'bundles');
    let host: RunningHost | null = null;
    let browser: Browser | null = null;
    let raw: RawChromium | null = null;
    try {
      host = await startHostProcess({ dataDir: join(ctx.workDir, 'store') });
      const reviewer = await personClient(host, 'bench', ['reviewer']);
      await reviewer.call('setMyPreferences', { autoNext: true });
      browser = await chromium.launch(launchOptions(ARGS));
      const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
      const urls = { peaks: host.address, decode: `${host.origin}?waveform=decode#token=${host.token}` };

      // Interleaved: each run signs in afresh in one mode, warms the page up on one alert, then times the next.
      const times = { peaks: [] as number[], decode: [] as number[] };
      const autoPhases: Record<string, number>[] = [];
      let n = 0;
      for (let i = 0; i < runs; i++) {
        for (const mode of i % 2 ? (['decode', 'peaks'] as const) : (['peaks', 'decode'] as const)) {
          // The admin's API seat would lock itself if idle long enough: a fresh one per run.
          const api = await adminClient(host);
          const watcher = await commitWatcher(host, api);
          await signIn(page, urls[mode], 'bench');
          const warmDir = writeBundle(bundles, variant(base, `VIEW-W${++n}`, n));
          const warmDrawn = drawnAt(page, 0, SENSORS);
          await importOne(api, warmDir);
          await warmDrawn;
          await decideAndLeave(page);
          const dir = writeBundle(bundles, variant(base, `VIEW-${++n}`, n));
          await page.evaluate(() => (performance.clearMarks(), performance.clearResourceTimings()));
          const before = (await api.call('listAlerts', { status: 'all', limit: 1 })).alerts[0]?.id ?? 0;
          const drawn = drawnAt(page, before, SENSORS);
          const id = await importOne(api, dir);
          const at = await drawn;
          const committed = watcher.committedAt(id);
          if (committed === undefined) throw new Error(`no alertAdded event for alert ${id}`);
          times[mode].push(at - committed);
          watcher.close();
          await decideAndLeave(page);
          if (mode === 'peaks') autoPhases.push(await phasesSince(page, committed, at));
        }
        ctx.log(`${i + 1}/${runs}: peaks median ${median(times.peaks).toFixed(0)} ms, decode median ${median(times.decode).toFixed(0)} ms`);
      }

      ctx.log(
        `new alert, ms after the commit (medians): ${phaseSummary(autoPhases, ['alert-added', 'next', 'claimNext>', 'getAlert>', 'getPeaks>', 'claimNext<', 'claimed', 'getAlert<', 'detail', 'view-mounted', 'getPeaks<', 'peaks', 'track-drawn', 'map-source'])}`,
      );

      // The N key, with the reviewer's preference to open alerts by hand.
      await reviewer.call('setMyPreferences', { autoNext: false });
      const keyTimes = { peaks: [] as number[], decode: [] as number[] };
      const keyPhases: Record<string, number>[] = [];
      for (let i = 0; i < runs; i++) {
        for (const mode of i % 2 ? (['decode', 'peaks'] as const) : (['peaks', 'decode'] as const)) {
          const got = await nextKeyTimes(page, host, urls[mode], bundles, base, `K${i}${mode[0]}`, () => ++n);
          keyTimes[mode].push(...got.times);
          if (mode === 'peaks') keyPhases.push(...got.phases);
        }
        ctx.log(`${i + 1}/${runs}: N key, peaks median ${median(keyTimes.peaks).toFixed(0)} ms, decode median ${median(keyTimes.decode).toFixed(0)} ms`);
      }
      ctx.log(`N key, ms after the key (medians): ${phaseSummary(keyPhases)}`);
      const firstPresses = keyTimes.peaks.filter((_, k) => k % 2 === 0);
      const secondPresses = keyTimes.peaks.filter((_, k) => k % 2 === 1);
      await page.close();
      await browser.close();
      browser = null;

      // Memory: a Chromium of its own on a bare DevTools connection (see RawChromium: Playwright's
      // network inspection keeps every response body), one page driving itself with key events.
      const first = writeBundle(bundles, variant(base, 'MEM-0', 0));
      const paths = [first, ...Array.from({ length: opens - 1 }, (_, i) => linkedBundle(first, join(bundles, `mem-${i + 1}`), `MEM-${i + 1}`))];
      for (let i = 0; i < paths.length; i += 25) await (await adminClient(host)).importFolders(paths.slice(i, i + 25));
      await reviewer.call('setMyPreferences', { autoNext: false });
      raw = await RawChromium.launch(launchOptions(ARGS));
      await raw.open(urls.peaks);
      await raw.evaluate(pageSignIn('bench', PERSON_PASSWORD));
      await raw.evaluate(openAlerts(10, SENSORS));
      const early = await raw.memory();
      for (let done = 10; done < opens; done += 50) {
        await raw.evaluate(openAlerts(Math.min(50, opens - done), SENSORS));
        ctx.log(`${Math.min(done + 50, opens)}/${opens} alerts opened`);
      }
      const late = await raw.memory();
      ctx.log(
        `renderer after 10: ${early.rssMb.toFixed(0)} MB RSS, ${early.heapMb.toFixed(1)} MB heap; after ${opens}: ${late.rssMb.toFixed(0)} MB RSS, ${late.heapMb.toFixed(1)} MB heap`,
      );
      const figures: Figure[] = [
        {
          name: 'view.alert_to_view_ms',
          value: median(times.peaks),
          unit: 'ms',
          baseline: median(times.decode),
          higherIsBetter: false,
          baselineLabel: 'the same view with wavesurfer fetching and decoding every clip itself',
        },
        {
          name: 'view.next_key_to_view_ms',
          value: median(keyTimes.peaks),
          unit: 'ms',
          baseline: median(keyTimes.decode),
          higherIsBetter: false,
          baselineLabel: 'the N key with wavesurfer fetching and decoding every clip itself',
        },
        {
          name: 'view.first_key_after_sign_in_ms',
          value: median(firstPresses),
          unit: 'ms',
          baseline: median(secondPresses),
          higherIsBetter: false,
          baselineLabel: 'the second N of the same sign-ins',
        },
        {
          name: `view.renderer_mb_after_${opens}`,
          value: late.rssMb,
          unit: 'MB',
          baseline: early.rssMb,
          higherIsBetter: false,
          baselineLabel: 'renderer RSS after 10 alerts',
        },
        {
          name: `view.renderer_heap_mb_after_${opens}`,
          value: late.heapMb,
          unit: 'MB',
          baseline: early.heapMb,
          higherIsBetter: false,
          baselineLabel: 'JS heap after 10 alerts',
        },
      ];
      return figures;
    } finally {
      await browser?.close();
      await raw?.close();
      await host?.stop();
    }
  },
};
