import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewAccount } from '../../../../src/kernel/store-port.ts';
import { StoreConstraintError } from '../../../../src/kernel/store-errors.ts';
import { backendUnavailable, openTestDatabase, testBackend, type TestDatabase } from '../../../support/database.ts';
import { newAgency, T0 } from '../../../support/store-fixtures.ts';

const account = (name: string, roles: NewAccount['roles'] = ['reviewer']): NewAccount => ({
  name,
  displayName: name.toUpperCase(),
  passwordHash: `scrypt$${name}`,
  roles,
  createdUs: T0,
  createdBy: 'cli:root',
});
const isUnique = (e: unknown) => e instanceof StoreConstraintError && e.kind === 'unique';

describe.skipIf(backendUnavailable('account and agency queries'))(`accounts, sign-in throttle, agencies (${testBackend()})`, () => {
  let t: TestDatabase;
  beforeEach(async () => (t = await openTestDatabase()));
  afterEach(async () => t.close());

  it("adds accounts and finds names regardless of ASCII case only, as SQLite's NOCASE does", async () => {
    const alice = await t.store.write((tx) => tx.accounts.insert(account('alice', ['reviewer', 'admin'])));
    expect(alice).toEqual({
      id: 1,
      name: 'alice',
      displayName: 'ALICE',
      roles: ['reviewer', 'admin'],
      disabled: false,
      createdUs: T0,
      createdBy: 'cli:root',
      lastSignInUs: null,
      passwordHash: 'scrypt$alice',
      preferences: {},
    });
    await t.store.write((tx) => tx.accounts.insert(account('Ärger')));
    expect((await t.store.read((tx) => tx.accounts.byName('ALICE')))?.id).toBe(1);
    expect(await t.store.read((tx) => tx.accounts.byName('äRGER'))).toBeUndefined();
    expect((await t.store.read((tx) => tx.accounts.byName('ÄRGER')))?.name).toBe('Ärger');
    await expect(t.store.write((tx) => tx.accounts.insert(account('Alice')))).rejects.toSatisfy(isUnique);
    // 'ärger' differs from 'Ärger' beyond ASCII: a distinct name on both backends.
    await t.store.write((tx) => tx.accounts.insert(account('ärger')));
    await t.store.write((tx) => tx.accounts.insert(account('Bob')));
    await t.store.write((tx) => tx.accounts.insert(account('carl')));
    expect((await t.store.read((tx) => tx.accounts.list())).map((a) => a.name)).toEqual(['alice', 'Bob', 'carl', 'Ärger', 'ärger']);
    expect(await t.store.read((tx) => tx.accounts.count())).toBe(5);
  });

  it('counts active administrators from the roles JSON, and changes accounts field by field', async () => {
    const [a, b] = await t.store.write(async (tx) => [
      await tx.accounts.insert(account('a', ['admin'])),
      await tx.accounts.insert(account('b', ['reviewer', 'auditor'])),
    ]);
    expect(await t.store.read((tx) => tx.accounts.activeAdminCount())).toBe(1);
    await t.store.write(async (tx) => {
      await tx.accounts.setRoles(b!.id, ['admin']);
      await tx.accounts.setDisabled(a!.id, T0 + 5);
      await tx.accounts.setPassword(b!.id, 'scrypt$new', T0 + 6);
      await tx.accounts.setPreferences(b!.id, { theme: 'light' });
      await tx.accounts.touchSignIn(b!.id, T0 + 7);
    });
    expect(await t.store.read((tx) => tx.accounts.activeAdminCount())).toBe(1);
    expect(await t.store.read((tx) => tx.accounts.byId(b!.id))).toMatchObject({
      roles: ['admin'],
      passwordHash: 'scrypt$new',
      preferences: { theme: 'light' },
      lastSignInUs: T0 + 7,
    });
    expect(await t.probe.query('SELECT password_set_us FROM accounts WHERE id = ?', b!.id)).toEqual([{ password_set_us: T0 + 6 }]);
    expect((await t.store.read((tx) => tx.accounts.byId(a!.id)))!.disabled).toBe(true);
    await t.store.write((tx) => tx.accounts.setDisabled(a!.id, null));
    expect(await t.store.read((tx) => tx.accounts.activeAdminCount())).toBe(2);
    expect(await t.store.read((tx) => tx.accounts.byId(99))).toBeUndefined();
  });

  it('keeps the sign-in throttle per name, upserted, cleared and pruned', async () => {
    expect(await t.store.read((tx) => tx.signinThrottle.get('eve'))).toEqual({ failures: 0, blockedUntilUs: 0 });
    await t.store.write((tx) => tx.signinThrottle.put('eve', 1, T0, T0));
    await t.store.write((tx) => tx.signinThrottle.put('eve', 5, T0 + 10, T0 + 30_000_000));
    await t.store.write((tx) => tx.signinThrottle.put('old', 1, T0 - 100, T0));
    expect(await t.store.read((tx) => tx.signinThrottle.get('eve'))).toEqual({ failures: 5, blockedUntilUs: T0 + 30_000_000 });
    await t.store.write((tx) => tx.signinThrottle.prune(T0));
    expect(await t.store.read((tx) => tx.signinThrottle.get('old'))).toEqual({ failures: 0, blockedUntilUs: 0 });
    await t.store.write((tx) => tx.signinThrottle.clear('eve'));
    expect(await t.store.read((tx) => tx.signinThrottle.get('eve'))).toEqual({ failures: 0, blockedUntilUs: 0 });
  });

  it('adds agencies with endpoints, reads them without secrets, and lists the active ones by name', async () => {
    const ids = await t.store.write(async (tx) => [
      await tx.agencies.insert(newAgency('zeta PD')),
      await tx.agencies.insert(
        newAgency('Alpha PD', {
          endpoints: [
            { url: 'https://a/1', format: 'cap', secret: 'k1' },
            { url: 'https://a/2', format: 'json', secret: 'k2' },
          ],
        }),
      ),
      await tx.agencies.insert(newAgency('beta PD', { endpoints: [] })),
    ]);
    const active = await t.store.read((tx) => tx.agencies.active());
    expect(active.map((a) => a.name)).toEqual(['Alpha PD', 'beta PD', 'zeta PD']);
    const alpha = active[0]!;
    expect(alpha).toEqual({
      id: ids[1],
      name: 'Alpha PD',
      classes: ['gunfire_single', 'gunfire_multiple'],
      accepts: ['Actual'],
      sourceType: 'Polygon',
      polygons: 1,
      holes: 0,
      vertices: 4,
      bbox: [-122, 38, -121, 39],
      createdUs: T0,
      createdBy: 'admin',
      updatedUs: null,
      updatedBy: null,
      removedUs: null,
      jurisdictionRev: 1,
      endpoints: [
        { id: 2, url: 'https://a/1', format: 'cap' },
        { id: 3, url: 'https://a/2', format: 'json' },
      ],
    });
    expect(JSON.stringify(alpha)).not.toContain('k1');
    expect(await t.store.read((tx) => tx.agencies.endpointForSending(2))).toEqual({
      id: 2,
      url: 'https://a/1',
      format: 'cap',
      secret: 'k1',
      clientCertPem: null,
      clientKeyPem: null,
      caPem: null,
      proxyUrl: null,
    });
    expect(await t.store.read((tx) => tx.agencies.jurisdictionJson(ids[0]!))).toBe(newAgency('x').jurisdictionJson);
    expect(await t.store.read((tx) => tx.agencies.activeIdByName('ALPHA pd'))).toBe(ids[1]);
  });

  it("keeps active names unique regardless of ASCII case, and frees a removed agency's name", async () => {
    const id = await t.store.write((tx) => tx.agencies.insert(newAgency('Metro PD')));
    await expect(t.store.write((tx) => tx.agencies.insert(newAgency('METRO pd')))).rejects.toSatisfy(isUnique);
    expect(await t.store.write((tx) => tx.agencies.remove(id, T0 + 1, 'admin'))).toBe(true);
    expect(await t.store.write((tx) => tx.agencies.remove(id, T0 + 2, 'admin'))).toBe(false);
    const again = await t.store.write((tx) => tx.agencies.insert(newAgency('METRO pd')));
    expect(await t.store.read((tx) => tx.agencies.activeIdByName('metro PD'))).toBe(again);
    expect(await t.store.read((tx) => tx.agencies.get(id))).toMatchObject({ removedUs: T0 + 1 });
    expect((await t.store.read((tx) => tx.agencies.active())).map((a) => a.id)).toEqual([again]);
  });

  it('edits an agency: name and classes, jurisdiction with its revision, endpoints retired, added and re-keyed', async () => {
    const id = await t.store.write((tx) => tx.agencies.insert(newAgency('County')));
    const j = {
      jurisdictionJson: '{"type":"MultiPolygon","coordinates":[]}',
      bbox: [1, 2, 3, 4] as [number, number, number, number],
      sourceType: 'MultiPolygon' as const,
      polygons: 2,
      holes: 1,
      vertices: 9,
    };
    await t.store.write(async (tx) => {
      expect(await tx.agencies.update(id, { name: 'County SO', classes: ['probable_gunfire'], atUs: T0 + 1, by: 'ed' })).toBe(true);
      expect(await tx.agencies.setJurisdiction(id, j)).toBe(true);
      expect(await tx.agencies.setJurisdiction(id, j)).toBe(true);
      expect(await tx.agencies.retireEndpoint(id, 1, T0 + 2)).toBe(true);
      expect(await tx.agencies.retireEndpoint(id, 1, T0 + 3)).toBe(false);
      expect(await tx.agencies.setEndpointSecret(id, 1, 'x')).toBe(false);
      const added = await tx.agencies.addEndpoint(id, { url: 'https://new', format: 'cap', secret: 'n1' });
      expect(await tx.agencies.setEndpointSecret(id, added, 'n2')).toBe(true);
      expect(await tx.agencies.setEndpointSecret(id + 1, added, 'n3')).toBe(false);
    });
    const a = (await t.store.read((tx) => tx.agencies.get(id)))!;
    expect(a).toMatchObject({
      name: 'County SO',
      classes: ['probable_gunfire'],
      updatedUs: T0 + 1,
      updatedBy: 'ed',
      jurisdictionRev: 3,
      bbox: [1, 2, 3, 4],
      polygons: 2,
      holes: 1,
      vertices: 9,
      sourceType: 'MultiPolygon',
      endpoints: [{ id: 2, url: 'https://new', format: 'cap' }],
    });
    expect(await t.store.read((tx) => tx.agencies.endpointForSending(2))).toMatchObject({ secret: 'n2' });
    expect(await t.store.read((tx) => tx.agencies.endpointForSending(1))).toMatchObject({ url: 'https://agency.example/in' });
    expect(await t.store.write((tx) => tx.agencies.update(99, { name: 'x', classes: [], atUs: 1, by: 'x' }))).toBe(false);
  });

  it('keeps the CAP statuses an agency accepts: Actual unless given, changed by an edit that names them, kept by one that does not', async () => {
    const [plain, drills] = await t.store.write(async (tx) => [
      await tx.agencies.insert(newAgency('City')),
      await tx.agencies.insert(newAgency('Training', { accepts: ['Actual', 'Exercise'] })),
    ]);
    await t.store.read(async (tx) => {
      expect((await tx.agencies.get(plain))?.accepts).toEqual(['Actual']);
      expect((await tx.agencies.get(drills))?.accepts).toEqual(['Actual', 'Exercise']);
    });
    await t.store.write(async (tx) => {
      expect(await tx.agencies.update(plain, { name: 'City', classes: ['gunfire_single'], accepts: ['Test'], atUs: T0 + 1, by: 'ed' })).toBe(true);
      expect(await tx.agencies.update(drills, { name: 'Training', classes: ['gunfire_single'], atUs: T0 + 1, by: 'ed' })).toBe(true);
    });
    expect((await t.store.read((tx) => tx.agencies.active())).map((a) => [a.name, a.accepts])).toEqual([
      ['City', ['Test']],
      ['Training', ['Actual', 'Exercise']],
    ]);
  });
});
