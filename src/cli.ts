import { accountCommand } from './cli/account.ts';
import { demoCommand } from './cli/demo.ts';
import { agencyCommand } from './cli/agency.ts';
import { auditCommand } from './cli/audit.ts';
import { datasetCommand } from './cli/dataset.ts';
import { importCommand } from './cli/import.ts';
import { locateCommand } from './cli/locate.ts';
import { serveCommand } from './cli/serve.ts';
import { UsageError, type Command } from './cli/command.ts';

/** Every subcommand; each domain adds its own file under src/cli/ and one entry here. */
const COMMANDS: Command[] = [demoCommand, importCommand, locateCommand, serveCommand, accountCommand, agencyCommand, auditCommand, datasetCommand];

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return ['usage: earwitness <command> [options]', '', ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}\n  ${' '.repeat(width)}  ${c.usage}`)].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${help()}\n`);
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`earwitness: no command ${JSON.stringify(name)}\n${help()}\n`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    // Errors a user can cause get one line; anything else is a bug worth its stack.
    const err = e as Error & { code?: string };
    if (e instanceof UsageError || err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' || err.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      process.stderr.write(`earwitness ${name}: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`earwitness ${name}: ${err.stack ?? err.message}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
