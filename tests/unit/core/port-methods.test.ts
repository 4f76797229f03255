import { describe, expect, it } from 'vitest';
import { methods, type MethodName } from '../../../src/contract/index.ts';
import { PORT_METHODS } from '../../../src/core/core.ts';

/**
 * Every method's handler runs on the store port (issue 12): none holds the synchronous store's
 * gate or is sealed by that store. A new method whose handler reads the database must read it
 * through the port, and be listed in PORT_METHODS.
 */
describe('methods on the store port', () => {
  it('lists every contract method, and nothing that is not one', () => {
    const all = Object.keys(methods) as MethodName[];
    expect(all.filter((m) => !PORT_METHODS.has(m))).toEqual([]);
    expect([...PORT_METHODS].filter((m) => !all.includes(m))).toEqual([]);
  });
});
