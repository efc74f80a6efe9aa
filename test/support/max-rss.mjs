// Runs a Node entry point (argv[2]) with the remaining arguments, then prints the process's peak resident set
// size (getrusage maxrss, KiB) as the last line on stderr: `[max-rss-kb] N`. No /usr/bin/time needed.
import { pathToFileURL } from 'node:url';

const [node, , entry, ...rest] = process.argv;
if (!entry) throw new Error('usage: node max-rss.mjs ENTRY [ARGS…]');
process.argv = [node, entry, ...rest];
process.on('exit', () => {
  process.stderr.write(`\n[max-rss-kb] ${process.resourceUsage().maxRSS}\n`);
});
await import(pathToFileURL(entry).href);
