import { describe, expect, it } from 'vitest';
import { parseShellArgs } from '../../../../main/policy/args.ts';

describe('parseShellArgs', () => {
  it('finds --data and --no-demo among Electron and Chromium switches', () => {
    expect(parseShellArgs(['.', '--data', '/srv/ew'])).toEqual({ data: '/srv/ew', demo: true });
    expect(parseShellArgs(['--inspect=0', '--remote-debugging-port=0', 'dist/main/main.cjs', '--data=/tmp/x', '--no-demo'])).toEqual({
      data: '/tmp/x',
      demo: false,
    });
    expect(parseShellArgs([])).toEqual({ data: undefined, demo: true });
    expect(parseShellArgs(['--enable-logging', '--data='])).toEqual({ data: undefined, demo: true });
  });
});
