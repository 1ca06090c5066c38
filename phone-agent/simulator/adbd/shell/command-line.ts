/**
 * Parses the command lines tools send through `adb shell`: enough of POSIX sh for what launchers and
 * station code write (quotes, `VAR=value cmd`, `;` `&&` `||` `|` `&`, `>file` `2>&1` `>/dev/null`),
 * leniently: anything unusual is kept as a word rather than rejected.
 */

export enum Connector {
  Sequence = ';',
  And = '&&',
  Or = '||',
  Background = '&',
}

export enum OutputTarget {
  Inherit = 'inherit',
  Discard = 'discard',
  /** 2>&1: stderr goes wherever stdout goes. */
  Stdout = 'stdout',
}

export interface SimpleCommand {
  env: Record<string, string>;
  argv: string[];
  stdout: OutputTarget | { file: string; append: boolean };
  stderr: OutputTarget | { file: string; append: boolean };
}

/** Commands joined by `|`, and how the next pipeline runs after this one. */
export interface Pipeline {
  commands: SimpleCommand[];
  then: Connector;
}

type Token = { word: string } | { op: string };

const OPERATORS = ['&&', '||', '2>&1', '&>', '2>>', '2>', '>>', '>', '<', ';', '|', '&'];

function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let word: string | null = null;
  let i = 0;
  const flush = (): void => {
    if (word !== null) tokens.push({ word });
    word = null;
  };
  while (i < line.length) {
    const c = line[i]!;
    if (c === ' ' || c === '\t' || c === '\n') {
      flush();
      i++;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      const stop = end < 0 ? line.length : end;
      word = (word ?? '') + line.slice(i + 1, stop);
      i = stop + 1;
    } else if (c === '"') {
      let j = i + 1;
      let text = '';
      while (j < line.length && line[j] !== '"') {
        if (line[j] === '\\' && j + 1 < line.length && '"\\$`'.includes(line[j + 1]!)) j++;
        text += line[j];
        j++;
      }
      word = (word ?? '') + text;
      i = j + 1;
    } else if (c === '\\' && i + 1 < line.length) {
      word = (word ?? '') + line[i + 1];
      i += 2;
    } else {
      // "2>" is an operator only at the start of a word; "a2>b" stays a word plus ">".
      const op = OPERATORS.find((o) => line.startsWith(o, i) && (!o.startsWith('2') || word === null));
      if (op) {
        flush();
        tokens.push({ op });
        i += op.length;
      } else {
        word = (word ?? '') + c;
        i++;
      }
    }
  }
  flush();
  return tokens;
}

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

export function parseCommandLine(line: string): Pipeline[] {
  const pipelines: Pipeline[] = [];
  let commands: SimpleCommand[] = [];
  let cmd = emptyCommand();
  const tokens = tokenize(line);
  const endCommand = (): void => {
    if (cmd.argv.length || Object.keys(cmd.env).length) commands.push(cmd);
    cmd = emptyCommand();
  };
  const endPipeline = (then: Connector): void => {
    endCommand();
    if (commands.length) pipelines.push({ commands, then });
    commands = [];
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if ('word' in t) {
      if (cmd.argv.length === 0 && ASSIGNMENT.test(t.word)) {
        const eq = t.word.indexOf('=');
        cmd.env[t.word.slice(0, eq)] = t.word.slice(eq + 1);
      } else {
        cmd.argv.push(t.word);
      }
      continue;
    }
    switch (t.op) {
      case '|':
        endCommand();
        break;
      case ';':
      case '&&':
      case '||':
      case '&':
        endPipeline(t.op as Connector);
        break;
      case '2>&1':
        cmd.stderr = OutputTarget.Stdout;
        break;
      default: {
        // A redirection: its target is the next word.
        const next = tokens[i + 1];
        const target = next && 'word' in next ? next.word : '';
        if (next && 'word' in next) i++;
        const to = target === '/dev/null' ? OutputTarget.Discard : { file: target, append: t.op.endsWith('>>') };
        if (t.op === '<') break; // stdin from a file: our commands read no input
        if (t.op === '&>') {
          cmd.stdout = to;
          cmd.stderr = OutputTarget.Stdout;
        } else if (t.op.startsWith('2')) cmd.stderr = to;
        else cmd.stdout = to;
      }
    }
  }
  endPipeline(Connector.Sequence);
  return pipelines;
}

function emptyCommand(): SimpleCommand {
  return { env: {}, argv: [], stdout: OutputTarget.Inherit, stderr: OutputTarget.Inherit };
}
