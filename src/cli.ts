import { processIo } from './cli/io.ts';
import { runCli } from './cli/main.ts';

/**
 * The `earwitness` process. A reader that stops early (`earwitness dataset clips ... | head -1`)
 * closes the pipe: the rest of the output has nowhere to go, so the command ends quietly with
 * the status a shell gives a process killed by SIGPIPE, instead of a stack trace.
 */
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(141);
    throw e;
  });
}

process.exitCode = await runCli(process.argv.slice(2), processIo);
