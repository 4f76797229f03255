import { expect, type Page } from '@playwright/test';
import { PERSON_PASSWORD, type RunningHost } from './host.ts';

/**
 * Opens the seat in a page and signs in through the sign-in form, with the keyboard only: the
 * name field has the focus, Tab to the password, Enter to sign in.
 */
export async function signInPage(page: Page, host: Pick<RunningHost, 'address'>, name: string, password = PERSON_PASSWORD): Promise<void> {
  await page.goto(host.address);
  const form = page.getByTestId('sign-in');
  await expect(form).toBeVisible();
  await expect(form.getByLabel('Name')).toBeFocused();
  await page.keyboard.type(name);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('actor')).toContainText(name[0]!.toUpperCase() + name.slice(1));
}
