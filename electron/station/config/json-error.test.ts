import { describe, expect, it } from 'vitest';
import { jsonErrorPlace } from './json-error';

describe('where a JSON text stops being JSON', () => {
  it('finds nothing wrong in valid JSON, whatever JSON.parse accepts', () => {
    for (const text of ['{}', ' [1, -2.5e3, "a\\u00e9\\n", true, false, null, {"x": []}] ', '"s"', '0']) {
      expect(() => JSON.parse(text)).not.toThrow();
      expect(jsonErrorPlace(text)).toBeNull();
    }
  });

  it('names the line and column of a trailing comma, a missing value, a missing comma and an unclosed object', () => {
    expect(jsonErrorPlace('{\n  "version": 1,\n  "pbx": [],\n}\n')).toEqual({ line: 4, column: 1, expected: 'a property name in double quotes', found: '"}"' });
    expect(jsonErrorPlace('{\n  "a": }')).toEqual({ line: 2, column: 8, expected: 'a value', found: '"}"' });
    expect(jsonErrorPlace('{"a": 1\n "b": 2}')).toEqual({ line: 2, column: 2, expected: "',' or '}'", found: '"\\""' });
    expect(jsonErrorPlace('{"lines": [1, 2')).toEqual({ line: 1, column: 16, expected: "',' or ']'", found: 'the end of the file' });
    expect(jsonErrorPlace("{'a': 1}")).toMatchObject({ line: 1, column: 2, expected: 'a property name in double quotes' });
    expect(jsonErrorPlace('{"a": tru}')).toMatchObject({ line: 1, column: 10, expected: "'true'" });
    expect(jsonErrorPlace('{} x')).toMatchObject({ line: 1, column: 4, expected: 'the end of the file' });
    expect(jsonErrorPlace('')).toMatchObject({ line: 1, column: 1, expected: 'a value', found: 'the end of the file' });
  });

  it('agrees with JSON.parse on every prefix of a document', () => {
    const doc = JSON.stringify({ version: 1, pbx: [{ id: 'office', port: 5060, tls: false, note: 'a "b"\\c' }], x: null }, null, 2);
    for (let n = 0; n <= doc.length; n++) {
      const text = doc.slice(0, n);
      let valid = true;
      try {
        JSON.parse(text);
      } catch {
        valid = false;
      }
      expect(jsonErrorPlace(text) === null, JSON.stringify(text)).toBe(valid);
    }
  });
});
