// The journal events written since a moment, read incrementally: the launcher looks every few
// hundred ms while Claudes start, and re-reading the whole archive each time would cost more
// than the starts. Event file names begin with their time stamp, so older ones are skipped by
// name and each new file is read once, through the safe reader.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { JournalEvent } from '../../common/base/types.js';
import type { StatePaths } from '../base/state-dir.js';
import { readRegularFile } from '../base/safe-read.js';
import { parseEventFile } from '../journal/spool.js';

const MAX_EVENT_BYTES = 4 * 1024 * 1024;

export class JournalTail {
  private readonly seen = new Set<string>();
  private readonly events: JournalEvent[] = [];
  private readonly fromName: string;

  constructor(
    private readonly paths: StatePaths,
    since: Date,
  ) {
    // One second of slack: the hook stamps its own clock, which may lag ours a little.
    this.fromName = new Date(since.getTime() - 1000).toISOString().replace(/[-:.]/g, '');
  }

  /** Every valid event seen so far (with its name at or after `since`), oldest first. */
  async read(): Promise<JournalEvent[]> {
    for (const dir of [this.paths.spoolNew, this.paths.archive]) {
      let names: string[];
      try {
        names = await readdir(dir);
      } catch {
        continue;
      }
      for (const name of names) {
        if (name < this.fromName || this.seen.has(name)) continue;
        let data: Buffer;
        try {
          data = await readRegularFile(join(dir, name), MAX_EVENT_BYTES);
        } catch {
          continue; // moved to the archive meanwhile (seen there next time), or not ours
        }
        this.seen.add(name);
        const ev = parseEventFile(name, data);
        if (typeof ev !== 'string') this.events.push(ev);
      }
    }
    return [...this.events].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  }
}
