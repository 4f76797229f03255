import type { Page } from '@playwright/test';
import type { Core } from '../../src/core/core.ts';

/**
 * Test harness pages talk to the core through the loopback host like the seat does, so someone
 * must be signed in on them. The test adds this person (the CLI's local administrator creates
 * them) and hands the page the credentials; the harness signs in with them before anything else.
 */
export const HARNESS_PERSON = { name: 'harness', password: 'harness password for tests' } as const;
export const HARNESS_CREDENTIALS_KEY = 'earwitness.harness.signIn';

export async function addHarnessPerson(core: Core): Promise<void> {
  const session = core.cliSession();
  const { accounts } = await core.call(session, 'listAccounts', {});
  if (accounts.some((a) => a.name === HARNESS_PERSON.name)) return;
  await core.call(session, 'createAccount', {
    name: HARNESS_PERSON.name,
    displayName: 'Harness',
    password: HARNESS_PERSON.password,
    roles: ['reviewer', 'trainer', 'auditor', 'admin'],
  });
}

/** Before the page loads: the credentials the harness signs in with. */
export async function signHarnessIn(page: Page): Promise<void> {
  await page.addInitScript(
    ([key, value]) => (globalThis as unknown as { sessionStorage: { setItem(k: string, v: string): void } }).sessionStorage.setItem(key!, value!),
    [HARNESS_CREDENTIALS_KEY, JSON.stringify(HARNESS_PERSON)],
  );
}
