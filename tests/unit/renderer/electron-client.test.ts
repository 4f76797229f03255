import { describe, expect, it } from 'vitest';
import { electronClipUrl, type PreloadApi } from '../../../src/contract/index.ts';
import { wrapPreload } from '../../../renderer/src/client/electron.ts';

/** A stand-in for what the preload exposes, built from plain functions (the shape main/preload.ts gives). */
function preload(overrides: Partial<Record<string, (input: unknown) => Promise<unknown>>> = {}) {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const api = {
    getStatus: async () => ({ ok: true, value: { version: '0', dataDir: '/d', actor: null, demo: { running: false } } }),
    ...overrides,
    on(event: string, listener: (p: unknown) => void) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => void set.delete(listener);
    },
  };
  return { api: api as unknown as PreloadApi, emit: (event: string, p: unknown) => listeners.get(event)?.forEach((l) => l(p)) };
}

describe('the Electron client', () => {
  it('passes calls to the preload function of the same name and returns its result', async () => {
    const { api } = preload();
    const client = wrapPreload(api);
    expect(client.transport).toBe('electron');
    const r = await client.call('getStatus', {});
    expect(r).toMatchObject({ ok: true, value: { dataDir: '/d' } });
  });

  it('turns a rejected IPC call or a missing method into an error value, never a throw', async () => {
    const { api } = preload({ listAlerts: () => Promise.reject(new Error('main went away')) });
    const client = wrapPreload(api);
    expect(await client.call('listAlerts', {})).toEqual({ ok: false, error: { code: 'unavailable', message: expect.stringContaining('main went away') } });
    expect(await client.call('getPeaks', { id: 1 })).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });

  it('delivers events to subscribers until they unsubscribe, and names clips by clip://', () => {
    const { api, emit } = preload();
    const client = wrapPreload(api);
    const seen: number[] = [];
    const off = client.on('alertAdded', ({ alert }) => seen.push(alert.id));
    emit('alertAdded', { alert: { id: 7 } });
    off();
    emit('alertAdded', { alert: { id: 8 } });
    expect(seen).toEqual([7]);
    expect(client.clipUrl('ab'.repeat(32))).toBe(electronClipUrl('ab'.repeat(32)));
  });
});
