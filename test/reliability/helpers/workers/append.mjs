// Appends journal events exactly as the hook does (appendEvent) and acknowledges each one
// on stdout only after appendEvent resolved: an acknowledged event is one a hook exited 0 on.
//   append.mjs <stateRoot> <tag> loop <count>   append count events as fast as possible after "go"
//   append.mjs <stateRoot> <tag> stdin          append one event per stdin line
import { dist, eventFields, eachLine, say } from './common.mjs';

const { appendEvent } = await import(`${dist}node/journal/spool.js`);
const { ensureStateDir } = await import(`${dist}node/base/state-dir.js`);

const [root, tag, mode, countS] = process.argv.slice(2);
const paths = ensureStateDir(root);
let i = 0;
const one = async () => {
  const e = await appendEvent(paths, eventFields(tag, i++));
  say(`ok ${e.id}`);
};
say('ready');
if (mode === 'loop') {
  await eachLine(async (line) => {
    if (line !== 'go') return;
    for (let n = 0; n < Number(countS); n++) await one();
    say('done');
  });
} else {
  await eachLine(async () => one());
}
