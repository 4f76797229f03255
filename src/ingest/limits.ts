/** Input limits: far above any real alert, low enough that a hostile file cannot exhaust memory. */
export const LIMITS = {
  metadataBytes: 1024 * 1024,
  clipBytes: 256 * 1024 * 1024,
  sensorsPerAlert: 64,
  textLength: 200,
} as const;
