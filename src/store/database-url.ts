/** Whether a --database value names a PostgreSQL server (anything else is refused, not guessed). Alone, so the CLI can check it without loading a driver. */
export const isPostgresUrl = (url: string): boolean => /^postgres(ql)?:\/\//i.test(url);
