/**
 * Where a JSON text stops being JSON, as a line and column an operator can go to in an editor.
 * JSON.parse says "Unexpected token '}'" without a position for the commonest mistakes (a trailing
 * comma, a missing value), so the text is scanned by RFC 8259's grammar to find the first character
 * that does not fit.
 */

export interface JsonErrorPlace {
  /** 1-based. */
  line: number;
  /** 1-based, in characters. */
  column: number;
  /** What was expected there, e.g. "a value", "',' or '}'". */
  expected: string;
  /** What was found: a quoted character or "the end of the file". */
  found: string;
}

class Stop extends Error {
  constructor(
    readonly at: number,
    readonly expected: string,
  ) {
    super(expected);
  }
}

function scan(text: string): void {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const literal = (word: string): void => {
    for (const ch of word) {
      if (text[i] !== ch) throw new Stop(i, `'${word}'`);
      i++;
    }
  };
  const string = (): void => {
    i++; // opening quote
    while (i < text.length && text[i] !== '"') {
      const c = text.charCodeAt(i);
      if (c < 0x20) throw new Stop(i, 'a closing \'"\' (control characters must be escaped)');
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) throw new Stop(i + 1, 'four hex digits after \\u');
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) throw new Stop(i, 'an escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u)');
      }
      i++;
    }
    if (i >= text.length) throw new Stop(i, 'a closing \'"\'');
    i++;
  };
  const number = (): void => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m || m[0] === '-' || m[0] === '') throw new Stop(i, 'a value');
    i += m[0].length;
  };
  const value = (): void => {
    ws();
    const ch = text[i];
    if (ch === '{') return object();
    if (ch === '[') return array();
    if (ch === '"') return string();
    if (ch === 't') return literal('true');
    if (ch === 'f') return literal('false');
    if (ch === 'n') return literal('null');
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return number();
    throw new Stop(i, 'a value');
  };
  const object = (): void => {
    i++;
    ws();
    if (text[i] === '}') return void i++;
    for (;;) {
      ws();
      if (text[i] !== '"') throw new Stop(i, 'a property name in double quotes');
      string();
      ws();
      if (text[i] !== ':') throw new Stop(i, "':'");
      i++;
      value();
      ws();
      if (text[i] === ',') i++;
      else if (text[i] === '}') return void i++;
      else throw new Stop(i, "',' or '}'");
    }
  };
  const array = (): void => {
    i++;
    ws();
    if (text[i] === ']') return void i++;
    for (;;) {
      value();
      ws();
      if (text[i] === ',') i++;
      else if (text[i] === ']') return void i++;
      else throw new Stop(i, "',' or ']'");
    }
  };
  value();
  ws();
  if (i < text.length) throw new Stop(i, 'the end of the file');
}

/** The first place `text` is not JSON, or null when it is. */
export function jsonErrorPlace(text: string): JsonErrorPlace | null {
  try {
    scan(text);
    return null;
  } catch (err) {
    if (!(err instanceof Stop)) throw err;
    const before = text.slice(0, err.at);
    const line = before.split('\n').length;
    const column = err.at - before.lastIndexOf('\n');
    const found = err.at >= text.length ? 'the end of the file' : JSON.stringify(text[err.at]);
    return { line, column, expected: err.expected, found };
  }
}
