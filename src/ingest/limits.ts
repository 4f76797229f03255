/** Input limits: far above any real alert, low enough that a hostile file cannot exhaust memory. */
export const LIMITS = {
  metadataBytes: 1024 * 1024,
  clipBytes: 256 * 1024 * 1024,
  /** All distinct clip files of one alert together, checked before any is read. */
  alertClipBytes: 1024 * 1024 * 1024,
  /** Samples per channel of one clip, checked before it is decoded: 2^24 is 5.8 min at 48 kHz (alert clips are seconds). */
  clipFrames: 2 ** 24,
  sensorsPerAlert: 64,
  textLength: 200,
  /** Entries of a folder of alert folders imported one by one. */
  foldersPerImport: 100_000,
} as const;
