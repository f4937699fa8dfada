// tmux custom layout strings ("b25f,160x40,0,0{80x40,0,0,1,79x40,81,0,2}"), validated before
// anything reaches tmux: tmux 3.3a's select-layout crashes the whole server on some malformed
// arguments (seen here with "garbage" and "x"), so a damaged snapshot must never pass one on.

export interface LayoutCell {
  width: number;
  height: number;
  x: number;
  y: number;
  /** 'pane' for a leaf; '{' children side by side; '[' children stacked. */
  kind: 'pane' | 'leftright' | 'topbottom';
  children: LayoutCell[];
}

export interface ParsedLayout {
  root: LayoutCell;
  /** Number of leaf cells, i.e. panes the layout places. */
  panes: number;
}

const MAX_DIM = 10_000;
const MAX_CELLS = 1_000;

/** tmux's layout_checksum: a 16-bit rotate-and-add over the layout body. */
export function layoutChecksum(body: string): string {
  let csum = 0;
  for (let i = 0; i < body.length; i++) {
    csum = ((csum >> 1) + ((csum & 1) << 15)) & 0xffff;
    csum = (csum + body.charCodeAt(i)) & 0xffff;
  }
  return csum.toString(16).padStart(4, '0');
}

/**
 * Parses and checks a layout string the way tmux's layout_parse + layout_check do (checksum,
 * grammar, children filling their parent exactly). Returns null for anything tmux would refuse
 * or that looks hostile; never throws.
 */
export function parseLayout(layout: string): ParsedLayout | null {
  const m = /^([0-9a-f]{4}),(.+)$/.exec(layout);
  if (!m || m[1] === undefined || m[2] === undefined) return null;
  const body = m[2];
  if (layoutChecksum(body) !== m[1]) return null;
  let pos = 0;
  let count = 0;
  const num = (): number | null => {
    const d = /^\d{1,6}/.exec(body.slice(pos));
    if (!d) return null;
    pos += d[0].length;
    return Number(d[0]);
  };
  const eat = (ch: string): boolean => {
    if (body[pos] !== ch) return false;
    pos++;
    return true;
  };
  const cell = (depth: number): LayoutCell | null => {
    if (depth > 64 || ++count > MAX_CELLS) return null;
    const width = num();
    if (width === null || !eat('x')) return null;
    const height = num();
    if (height === null || !eat(',')) return null;
    const x = num();
    if (x === null || !eat(',')) return null;
    const y = num();
    if (y === null) return null;
    if (width < 1 || height < 1 || width > MAX_DIM || height > MAX_DIM) return null;
    const c: LayoutCell = { width, height, x, y, kind: 'pane', children: [] };
    const open = body[pos];
    if (open === ',') {
      pos++;
      if (num() === null) return null;
      return c;
    }
    if (open !== '{' && open !== '[') return null;
    pos++;
    c.kind = open === '{' ? 'leftright' : 'topbottom';
    const close = open === '{' ? '}' : ']';
    for (;;) {
      const child = cell(depth + 1);
      if (!child) return null;
      c.children.push(child);
      if (eat(close)) break;
      if (!eat(',')) return null;
    }
    return c;
  };
  const root = cell(0);
  if (!root || pos !== body.length || !fits(root)) return null;
  return { root, panes: leaves(root) };
}

/** layout_check: children span the parent exactly, with one separator column/row between. */
function fits(c: LayoutCell): boolean {
  if (c.kind === 'pane') return true;
  let total = 0;
  for (const child of c.children) {
    if (c.kind === 'leftright' ? child.height !== c.height : child.width !== c.width) return false;
    if (!fits(child)) return false;
    total += (c.kind === 'leftright' ? child.width : child.height) + 1;
  }
  return total - 1 === (c.kind === 'leftright' ? c.width : c.height);
}

function leaves(c: LayoutCell): number {
  return c.kind === 'pane' ? 1 : c.children.reduce((n, child) => n + leaves(child), 0);
}

/** The window size a layout was saved at, or null for an invalid layout. */
export function layoutSize(layout: string): { width: number; height: number } | null {
  const p = parseLayout(layout);
  return p ? { width: p.root.width, height: p.root.height } : null;
}

/**
 * The geometry of a layout without its checksum and pane ids (which differ in every server),
 * so a restored window can be compared with the saved one.
 */
export function layoutShape(layout: string): string {
  const body = layout.replace(/^[0-9a-f]{4},/, '');
  return body.replace(/(\d+x\d+,\d+,\d+),\d+(?=[,}\]]|$)/g, '$1');
}
