/**
 * Wraps terminal lines to a width (issue #14 part 6: the table fits the terminal). Lines may hold the SGR
 * color sequences picocolors writes (never raw database text: that is escaped first, src/report/terminal.ts);
 * they take no width, a broken line ends with a reset and its continuation re-opens the colors that were open.
 * Breaks at a space when there is one past the indentation, else inside the word; continuations are indented
 * four columns more than the line. Width is counted in code points (an East Asian wide character counts one).
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: SGR sequences start with ESC.
const SGR = /\x1b\[([0-9;]*)m/y;
const CLOSES: Record<string, string> = {
  '22': 'int',
  '23': 'it',
  '24': 'ul',
  '27': 'inv',
  '28': 'hid',
  '29': 'st',
  '39': 'fg',
  '49': 'bg',
};

function category(code: string): string | undefined {
  const n = Number(code);
  if (n === 1 || n === 2) return 'int';
  if (n === 3) return 'it';
  if (n === 4) return 'ul';
  if (n === 7) return 'inv';
  if (n === 8) return 'hid';
  if (n === 9) return 'st';
  if ((n >= 30 && n <= 38) || (n >= 90 && n <= 97)) return 'fg';
  if ((n >= 40 && n <= 48) || (n >= 100 && n <= 107)) return 'bg';
  return undefined;
}

type Token = { sgr: string } | { ch: string };

function tokenize(line: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < line.length) {
    SGR.lastIndex = i;
    const m = SGR.exec(line);
    if (m) {
      out.push({ sgr: m[1] ?? '' });
      i = SGR.lastIndex;
      continue;
    }
    const cp = line.codePointAt(i) as number;
    const ch = String.fromCodePoint(cp);
    out.push({ ch });
    i += ch.length;
  }
  return out;
}

/** The open SGR codes after applying `tokens` to `open` (a new list). */
function apply(open: string[], tokens: Token[]): string[] {
  let state = [...open];
  for (const t of tokens) {
    if (!('sgr' in t)) continue;
    const params = t.sgr === '' ? ['0'] : t.sgr.split(';');
    // 38;5;n / 48;2;r;g;b are one color each.
    if (params[0] === '38' || params[0] === '48') {
      const cat = category(params[0]);
      state = state.filter((c) => category(c.split(';')[0] as string) !== cat);
      state.push(t.sgr);
      continue;
    }
    for (const p of params) {
      if (p === '0' || p === '') state = [];
      else if (CLOSES[p]) state = state.filter((c) => category(c.split(';')[0] as string) !== CLOSES[p]);
      else if (category(p)) state.push(p);
    }
  }
  return state;
}

const render = (tokens: Token[]) => tokens.map((t) => ('sgr' in t ? `\x1b[${t.sgr}m` : t.ch)).join('');
const width = (tokens: Token[]) => tokens.reduce((n, t) => n + ('ch' in t ? 1 : 0), 0);

/** The visible width of a line (SGR sequences take none). */
export function visibleWidth(line: string): number {
  return width(tokenize(line));
}

/** One line wrapped to `max` columns (at least 20); lines that fit are returned unchanged. */
export function wrapLine(line: string, max: number): string[] {
  const limit = Math.max(20, Math.floor(max));
  let tokens = tokenize(line);
  if (width(tokens) <= limit) return [line];
  let indent = 0;
  for (const t of tokens) {
    if ('sgr' in t) continue;
    if (t.ch !== ' ') break;
    indent++;
  }
  const cont = indent + 4 <= limit / 2 ? indent + 4 : Math.min(2, indent);
  const out: string[] = [];
  let first = true;
  while (width(tokens) > limit) {
    const lead = first ? indent : cont;
    // The last space at a visible column within the limit, past the indentation.
    let col = 0;
    let cut = -1;
    let fitEnd = tokens.length;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i] as Token;
      if ('sgr' in t) continue;
      if (col >= limit) {
        fitEnd = i;
        break;
      }
      if (t.ch === ' ' && col > lead) cut = i;
      col++;
    }
    // A space just past the limit is a clean break too.
    const next = tokens[fitEnd];
    if (next && 'ch' in next && next.ch === ' ') cut = fitEnd;
    const head = cut >= 0 ? tokens.slice(0, cut) : tokens.slice(0, fitEnd);
    let rest = cut >= 0 ? tokens.slice(cut + 1) : tokens.slice(fitEnd);
    // Trailing spaces of the head and leading spaces of the rest are dropped (the indentation replaces them).
    while (
      head.length &&
      'ch' in (head[head.length - 1] as Token) &&
      (head[head.length - 1] as { ch: string }).ch === ' '
    )
      head.pop();
    while (rest.length && 'ch' in (rest[0] as Token) && (rest[0] as { ch: string }).ch === ' ') rest = rest.slice(1);
    // Colors open at the break: the line ends with a reset, its continuation re-opens them.
    const open = apply([], head);
    out.push(`${render(head)}${open.length ? '\x1b[0m' : ''}`);
    tokens = [...Array.from({ length: cont }, () => ({ ch: ' ' })), ...open.map((sgr) => ({ sgr })), ...rest];
    first = false;
  }
  out.push(render(tokens));
  return out;
}

/** Every line of a text block wrapped to `max` columns. */
export function wrapLines(lines: string[], max: number): string[] {
  return lines.flatMap((l) => wrapLine(l, max));
}
