/** `npm run eval -- <name> [args]`: runs tests/eval/<name>.ts, which prints its figures. */
import { existsSync } from 'node:fs';

const [name, ...args] = process.argv.slice(2);
if (!name || !/^[a-z0-9-]+$/.test(name) || !existsSync(new URL(`./${name}.ts`, import.meta.url))) {
  process.stderr.write(`usage: npm run eval -- <name> [args]; evaluations live in tests/eval/<name>.ts\n`);
  process.exit(2);
}
const mod = (await import(new URL(`./${name}.ts`, import.meta.url).href)) as { main(args: string[]): Promise<number> };
process.exitCode = await mod.main(args);
