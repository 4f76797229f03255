export interface SettingsQueries {
  get<T>(key: string): Promise<T | undefined>;
  put(key: string, value: unknown, atUs: number): Promise<void>;
}
