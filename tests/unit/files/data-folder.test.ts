import { linkSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkOutsideDataFolder } from '../../../src/files/data-folder.ts';
import { tempDir } from '../../support/temp.ts';

describe("paths from outside never reach the data folder's own files", () => {
  let tmp: ReturnType<typeof tempDir>;
  let data: string;
  beforeEach(() => {
    tmp = tempDir();
    data = join(tmp.dir, 'data');
    mkdirSync(join(data, 'clips', 'ab'), { recursive: true });
    mkdirSync(join(data, 'logs'), { recursive: true });
    for (const f of ['earwitness.sqlite', 'earwitness.sqlite-wal', 'earwitness.sqlite-shm', 'audit-anchors.jsonl']) writeFileSync(join(data, f), 'x');
    writeFileSync(join(data, 'clips', 'ab', 'c.wav'), 'x');
  });
  afterEach(() => tmp.cleanup());

  it.each([
    ['earwitness.sqlite', 'the database'],
    ['earwitness.sqlite-wal', 'write-ahead log'],
    ['earwitness.sqlite-shm', 'shared memory'],
    ['audit-anchors.jsonl', 'the audit anchors'],
    ['clips/ab/c.wav', 'the clip store'],
    ['clips/new.wav', 'the clip store'],
    ['logs/main.log', 'the logs'],
    ['transfers/run-1/x', 'uploads and downloads'],
  ])('refuses %s, for reading and for writing, whatever the spelling', (rel, what) => {
    for (const use of ['read', 'write', 'walk'] as const) {
      expect(() => checkOutsideDataFolder(data, join(data, rel), use)).toThrow(what);
      expect(() => checkOutsideDataFolder(data, join(data, 'clips', '..', rel), use)).toThrow(what);
    }
  });

  it('sees through a symbolic link and a hard link to the database', () => {
    symlinkSync(join(data, 'earwitness.sqlite'), join(tmp.dir, 'innocent.html'));
    expect(() => checkOutsideDataFolder(data, join(tmp.dir, 'innocent.html'), 'write')).toThrow('the database');
    symlinkSync(data, join(tmp.dir, 'data-link'));
    expect(() => checkOutsideDataFolder(data, join(tmp.dir, 'data-link', 'audit-anchors.jsonl'), 'write')).toThrow('the audit anchors');
    linkSync(join(data, 'earwitness.sqlite'), join(tmp.dir, 'hard.html'));
    expect(() => checkOutsideDataFolder(data, join(tmp.dir, 'hard.html'), 'write')).toThrow('is a link to the database');
  });

  it('refuses reading through a folder that holds the data folder, and writing over the data folder itself', () => {
    expect(() => checkOutsideDataFolder(data, tmp.dir, 'walk')).toThrow('holds the data folder');
    expect(() => checkOutsideDataFolder(data, data, 'walk')).toThrow('is the data folder');
    expect(() => checkOutsideDataFolder(data, data, 'write')).toThrow('is the data folder');
    expect(() => checkOutsideDataFolder(data, join(data, 'inbox', 'x'), 'write')).toThrow('the inbox');
  });

  it('lets everything else through: files beside the data folder, an exports folder inside it, a new file', () => {
    writeFileSync(join(tmp.dir, 'labels.txt'), 'x');
    expect(checkOutsideDataFolder(data, join(tmp.dir, 'labels.txt'), 'read')).toBe(join(tmp.dir, 'labels.txt'));
    expect(checkOutsideDataFolder(data, join(tmp.dir, 'new', 'deep', 'x.csv'), 'write')).toBe(join(tmp.dir, 'new', 'deep', 'x.csv'));
    expect(checkOutsideDataFolder(data, join(data, 'exports', 'set-1'), 'write')).toBe(join(data, 'exports', 'set-1'));
    expect(checkOutsideDataFolder(data, join(data, 'inbox', 'bundle'), 'walk')).toBe(join(data, 'inbox', 'bundle'));
  });
});
