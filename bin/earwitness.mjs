#!/usr/bin/env node
// The `earwitness` command. better-sqlite3 13 and Electron 45 need Node 22+; npm scripts and
// npx run this with the pinned `node` devDependency, so say so plainly on an older Node.
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(
    `earwitness needs Node 22 or newer (this is ${process.version}). Run it as \`npx earwitness ...\` or through ` +
      '`npm run ...` in the project folder: they use the Node 22 that `npm install` put in node_modules.\n',
  );
  process.exit(2);
}
const { register } = await import('tsx/esm/api');
register();
await import('../src/cli.ts');
