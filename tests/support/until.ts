/** Waits until `what` holds (polled every 10 ms), or fails after `ms`: for what another server announces. */
export async function until(what: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > end) throw new Error('what another server announced never arrived');
    await new Promise((r) => setTimeout(r, 10));
  }
}
