import type { Handlers } from '../kernel/handlers.ts';
import type { Core } from './core.ts';

export const systemHandlers = (core: Core): Handlers<'getStatus'> => ({
  getStatus: ({ session }) => ({
    version: core.version,
    dataDir: core.config.dataDir,
    actor: session.actor,
    demo: { running: core.demoRunning },
  }),
});
