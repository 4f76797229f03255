import { z } from 'zod';
import type { StoreTx } from '../kernel/store-port.ts';
import { log } from '../util/log.ts';

/** How the delivery worker paces itself. A centre can override any field in the setting `publish.delivery`. */
export const DeliveryConfig = z.object({
  /** First retry delay; each retry doubles it, with jitter, up to maxDelayMs. */
  baseDelayMs: z.number().int().min(1).max(3_600_000),
  maxDelayMs: z
    .number()
    .int()
    .min(1)
    .max(24 * 3_600_000),
  /** After this long without success a delivery is marked failed and waits for an admin. */
  maxAgeMs: z
    .number()
    .int()
    .min(1)
    .max(30 * 24 * 3_600_000),
  requestTimeoutMs: z.number().int().min(100).max(120_000),
  /** Requests in flight at once, and per endpoint (so one slow agency cannot hold every slot). */
  concurrency: z.number().int().min(1).max(256),
  perEndpoint: z.number().int().min(1).max(256),
  /** How often the worker looks for due deliveries when nothing wakes it. */
  pollMs: z.number().int().min(10).max(60_000),
});
export type DeliveryConfig = z.infer<typeof DeliveryConfig>;

export const DEFAULT_DELIVERY_CONFIG: DeliveryConfig = {
  baseDelayMs: 1000,
  maxDelayMs: 5 * 60_000,
  maxAgeMs: 24 * 3_600_000,
  requestTimeoutMs: 10_000,
  concurrency: 16,
  perEndpoint: 8,
  pollMs: 500,
};

export const DELIVERY_SETTING = 'publish.delivery';

/** Defaults, then the stored setting (fields that fail their check are ignored, with a warning), then the caller's overrides. */
export async function deliveryConfigTx(tx: StoreTx, overrides: Partial<DeliveryConfig> = {}): Promise<DeliveryConfig> {
  const stored = await tx.settings.get<unknown>(DELIVERY_SETTING);
  const parsed = DeliveryConfig.partial().safeParse(stored ?? {});
  if (!parsed.success) log.warn({ setting: DELIVERY_SETTING, problem: parsed.error.issues[0]?.message }, 'a setting is not valid and is ignored');
  return DeliveryConfig.parse({ ...DEFAULT_DELIVERY_CONFIG, ...(parsed.success ? parsed.data : {}), ...overrides });
}

/** Exponential backoff with "equal jitter": half the delay fixed, half random, so retries of many deliveries spread out. */
export function backoffMs(attempt: number, c: DeliveryConfig, random: () => number = Math.random): number {
  const d = Math.min(c.maxDelayMs, c.baseDelayMs * 2 ** Math.min(30, Math.max(0, attempt - 1)));
  return Math.round(d / 2 + random() * (d / 2));
}

export type Verdict = 'delivered' | 'retry' | 'refused';

/**
 * 2xx delivered. No answer, 408, 425, 429 and 5xx are worth retrying. Any other status (a 3xx
 * we do not follow, 400, 401, 403, 404 ...) means the receiver refuses this request as it is:
 * retrying the same bytes cannot help, so it fails at once and waits for an admin.
 */
export function verdict(status: number | null): Verdict {
  if (status === null) return 'retry';
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 408 || status === 425 || status === 429 || status >= 500) return 'retry';
  return 'refused';
}
