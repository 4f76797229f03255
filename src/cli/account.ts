import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { ROLES, type Role } from '../contract/index.ts';
import type { Core } from '../core/core.ts';
import type { Session } from '../kernel/session.ts';
import { UsageError } from './command.ts';
import { DATABASE_OPTION, openCommandCore } from './database.ts';
import type { CliIo } from './io.ts';

/** Reads a password: the first line of stdin when piped (or with --password-stdin), else asked twice on the terminal without echo. */
async function readPassword(io: CliIo, fromStdin: boolean): Promise<string> {
  if (fromStdin || !io.stdin.isTTY) {
    const rl = createInterface({ input: io.stdin });
    for await (const line of rl) {
      rl.close();
      return line;
    }
    throw new UsageError('no password on stdin');
  }
  const ask = (prompt: string) =>
    new Promise<string>((resolve) => {
      io.err(prompt);
      const muted = new Writable({ write: (_c, _e, done) => done() });
      const rl = createInterface({ input: io.stdin, output: muted, terminal: true });
      rl.question('', (answer) => {
        rl.close();
        io.err('\n');
        resolve(answer);
      });
    });
  const first = await ask('password: ');
  if ((await ask('again: ')) !== first) throw new UsageError('the two passwords differ');
  return first;
}

function rolesFrom(values: string[] | undefined, none: boolean | undefined): Role[] {
  if (none) return [];
  if (!values?.length) throw new UsageError(`give at least one --role (${ROLES.join(', ')}) or --no-roles`);
  for (const r of values) if (!(ROLES as readonly string[]).includes(r)) throw new UsageError(`no role ${JSON.stringify(r)}: one of ${ROLES.join(', ')}`);
  return values as Role[];
}

async function accountId(core: Core, session: Session, name: string): Promise<number> {
  const { accounts } = await core.call(session, 'listAccounts', {});
  const a = accounts.find((x) => x.name === name.toLowerCase());
  if (!a) throw new UsageError(`no account ${JSON.stringify(name)}`);
  return a.id;
}

/**
 * People, from the machine that holds the data folder: the way to create the first administrator
 * without a browser, or to let someone in again when every administrator forgot their password.
 * It acts as the local administrator `cli:<OS user>` (see cliActor), written on every audit entry.
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      data: { type: 'string' },
      ...DATABASE_OPTION,
      json: { type: 'boolean' },
      role: { type: 'string', multiple: true },
      'no-roles': { type: 'boolean' },
      'display-name': { type: 'string' },
      'password-stdin': { type: 'boolean' },
    },
  });
  const [verb, name] = positionals;
  if (!verb || (verb !== 'list' && !name)) throw new UsageError('say list, add, roles, password, disable or enable, and whom (earwitness account --help)');
  const core = await openCommandCore(values);
  const session = core.cliSession();
  try {
    switch (verb) {
      case 'list': {
        const { accounts } = await core.call(session, 'listAccounts', {});
        if (values.json) io.out(`${JSON.stringify({ accounts }, null, 2)}\n`);
        else
          for (const a of accounts)
            io.out(`${a.name.padEnd(20)} ${a.disabled ? 'disabled' : 'enabled '} ${a.roles.join(',') || '(no role)'}  ${a.displayName}\n`);
        return 0;
      }
      case 'add': {
        const roles = rolesFrom(values.role, values['no-roles']);
        const password = await readPassword(io, values['password-stdin'] ?? false);
        const a = await core.call(session, 'createAccount', { name: name!, displayName: values['display-name'] ?? name!, password, roles });
        io.out(`added ${a.name} (${a.roles.join(', ') || 'no role'})\n`);
        return 0;
      }
      case 'roles': {
        const a = await core.call(session, 'setAccountRoles', {
          accountId: await accountId(core, session, name!),
          roles: rolesFrom(values.role, values['no-roles']),
        });
        io.out(`${a.name}: ${a.roles.join(', ') || 'no role'}\n`);
        return 0;
      }
      case 'password': {
        const id = await accountId(core, session, name!);
        await core.call(session, 'setAccountPassword', { accountId: id, password: await readPassword(io, values['password-stdin'] ?? false) });
        io.out(`new password set for ${name}\n`);
        return 0;
      }
      case 'disable':
      case 'enable': {
        const a = await core.call(session, 'setAccountDisabled', { accountId: await accountId(core, session, name!), disabled: verb === 'disable' });
        io.out(`${a.name} is ${a.disabled ? 'disabled' : 'enabled'}\n`);
        return 0;
      }
      default:
        throw new UsageError(`no account command ${JSON.stringify(verb)} (earwitness account --help)`);
    }
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code && code !== 'internal') throw new UsageError((e as Error).message);
    throw e;
  } finally {
    await core.close();
  }
}
