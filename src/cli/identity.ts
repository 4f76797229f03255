import { parseArgs } from 'node:util';
import type { MethodName, MethodOutput, PublishIdentity } from '../contract/index.ts';
import type { Core } from '../core/core.ts';
import { UsageError } from './command.ts';
import { DATABASE_OPTION, openCommandCore } from './database.ts';
import type { CliIo } from './io.ts';

async function call<M extends MethodName>(core: Core, method: M, input: unknown): Promise<MethodOutput<M>> {
  const r = await core.dispatch(core.openSession('cli'), method, input);
  if (!r.ok) throw new UsageError(r.error.message);
  return r.value as MethodOutput<M>;
}

const describe = (v: PublishIdentity): string =>
  [
    `sender: ${v.sender}`,
    `sender name: ${v.senderName}`,
    `instance: ${v.instance}`,
    `messages expire after: ${v.messageLifetimeMinutes} min`,
    `audio links work for: ${v.linkLifetimeHours} h`,
    `audio-link address: ${v.linkBaseUrl ?? "(the host's own)"}`,
  ].join('\n');

const integer = (text: string | undefined, flag: string): number | undefined => {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new UsageError(`${flag} takes a whole number, not ${JSON.stringify(text)}`);
  return Number(text);
};

/** `earwitness identity show|set ...`: who this centre is in what agencies receive. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      data: { type: 'string' },
      ...DATABASE_OPTION,
      json: { type: 'boolean' },
      sender: { type: 'string' },
      'sender-name': { type: 'string' },
      instance: { type: 'string' },
      'message-lifetime': { type: 'string' },
      'link-lifetime': { type: 'string' },
      'link-base': { type: 'string' },
      'rotate-link-key': { type: 'boolean' },
    },
  });
  if (sub !== 'show' && sub !== 'set') throw new UsageError('say show or set (earwitness identity --help)');
  const input =
    sub === 'set'
      ? {
          ...(values.sender !== undefined ? { sender: values.sender } : {}),
          ...(values['sender-name'] !== undefined ? { senderName: values['sender-name'] } : {}),
          ...(values.instance !== undefined ? { instance: values.instance } : {}),
          ...(values['message-lifetime'] !== undefined ? { messageLifetimeMinutes: integer(values['message-lifetime'], '--message-lifetime') } : {}),
          ...(values['link-lifetime'] !== undefined ? { linkLifetimeHours: integer(values['link-lifetime'], '--link-lifetime') } : {}),
          ...(values['link-base'] !== undefined ? { linkBaseUrl: values['link-base'] === '' ? null : values['link-base'] } : {}),
          ...(values['rotate-link-key'] ? { rotateLinkKey: true } : {}),
        }
      : null;
  if (input && Object.keys(input).length === 0)
    throw new UsageError('nothing to set: give --sender, --sender-name, --instance, --message-lifetime, --link-lifetime, --link-base or --rotate-link-key');
  const core = await openCommandCore(values);
  try {
    if (input) {
      const r = await call(core, 'setPublishIdentity', input);
      io.out(
        values.json
          ? `${JSON.stringify(r, null, 2)}\n`
          : `${r.changed.length ? `changed: ${r.changed.join(', ')}` : 'nothing changed'}\n${describe(r.identity)}\n`,
      );
    } else {
      const v = await call(core, 'getPublishIdentity', {});
      io.out(values.json ? `${JSON.stringify(v, null, 2)}\n` : `${describe(v)}\n`);
    }
    return 0;
  } finally {
    await core.close();
  }
}
