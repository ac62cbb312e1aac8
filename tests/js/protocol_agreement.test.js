// The signaling protocol is declared in ws-daemon/signaling/protocol.h; the browser's copy
// (public_html/js/messages.js) and the client authors' reference (docs/PROTOCOL.md) must say
// the same: the same message types each way, the same fields with the same JSON types, the
// same nested objects, the same error codes. protocol.h is read through its own serialize
// functions (ws_protocol_schema, built with the daemon); PROTOCOL.md through its tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { kErrorCodes, kMaxWatchedUsers, kProtocolTables } from '../../public_html/js/messages.js';

const kSrc = join(import.meta.dirname, '..', '..');
const kBuild = process.env.VC_BUILD_DIR || join(kSrc, 'build');
const cpp = JSON.parse(execFileSync(join(kBuild, 'tests', 'ws-daemon', 'ws_protocol_schema'), { encoding: 'utf8' }));
const doc = readFileSync(join(kSrc, 'docs', 'PROTOCOL.md'), 'utf8');

// The rows of the markdown table under `heading`: arrays of cells.
function tableRows(heading) {
  const start = doc.indexOf(`\n## ${heading}\n`);
  assert.ok(start >= 0, `PROTOCOL.md has a "## ${heading}" section`);
  const lines = doc.slice(start).split('\n').slice(2);
  const rows = [];
  for (const line of lines.slice(lines.findIndex((l) => l.startsWith('|')))) {
    if (!line.startsWith('|')) break;
    rows.push(line.split(/(?<!\\)\|/).slice(1, -1).map((cell) => cell.trim()));
  }
  return rows.slice(2);  // the header and its rule
}

// A fields cell: `a`, `b`: {`c`, `d`} → {fields: [a, b], nested: {b: [c, d]}}. Anything else in
// the cell is an error, so the tables stay readable by this check.
function parseFields(cell, where) {
  const fields = [];
  const nested = {};
  const tokens = cell.match(/`[^`]+`|[{},:]|\S+/g) || [];
  let inner = null;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.startsWith('`')) (inner || fields).push(t.slice(1, -1));
    else if (t === ':' && tokens[i + 1] === '{') { inner = nested[fields.at(-1)] = []; i++; }
    else if (t === '}' && inner) inner = null;
    else if (t !== ',') assert.fail(`${where}: the fields cell may hold only \`names\`, commas and {…}: "${cell}"`);
  }
  return { fields, nested };
}

function docMessages(heading) {
  const messages = {};
  for (const [typeCell, fieldsCell] of tableRows(heading)) {
    const type = typeCell.replace(/`/g, '');
    assert.ok(!(type in messages), `${heading}: ${type} is listed once`);
    messages[type] = parseFields(fieldsCell, `${heading}, ${type}`);
  }
  return messages;
}

const kDirections = [
  { name: 'client', heading: 'Client → server', js: kProtocolTables.client },
  { name: 'server', heading: 'Server → client', js: kProtocolTables.server },
];

for (const { name, heading, js } of kDirections) {
  const types = Object.keys(cpp[name]).sort();

  test(`Protocol: ${name} message types agree in protocol.h, messages.js and PROTOCOL.md`, () => {
    assert.deepEqual(Object.keys(js).sort(), types, 'messages.js');
    assert.deepEqual(Object.keys(docMessages(heading)).sort(), types, 'PROTOCOL.md');
  });

  test(`Protocol: each ${name} message has the same fields and JSON types everywhere`, () => {
    const documented = docMessages(heading);
    for (const type of types) {
      const want = cpp[name][type];
      // The browser may accept as optional what the daemon always sends.
      const required = (fields) => Object.fromEntries(Object.entries(fields || {}).map(([f, spec]) => [f, spec.replace('?', '')]));
      assert.deepEqual(required(js[type]), required(want), `messages.js, ${type}`);
      assert.deepEqual((documented[type]?.fields || []).slice().sort(), Object.keys(want).sort(), `PROTOCOL.md, ${type}`);
    }
  });

  test(`Protocol: the nested objects of ${name} messages agree everywhere`, () => {
    const documented = docMessages(heading);
    for (const type of types) {
      for (const [field, want] of Object.entries(cpp[`${name}_nested`][type] || {})) {
        const jsNested = kProtocolTables.nested[type]?.[field];
        assert.ok(jsNested, `messages.js checks ${type}.${field}`);
        assert.deepEqual(jsNested, want, `messages.js, ${type}.${field}`);
        assert.deepEqual((documented[type].nested[field] || []).slice().sort(), Object.keys(want).sort(),
                         `PROTOCOL.md, ${type}.${field}`);
      }
      for (const field of Object.keys(documented[type]?.nested || {})) {
        assert.ok(cpp[`${name}_nested`][type]?.[field], `PROTOCOL.md's ${type}.${field} is an object in protocol.h`);
      }
    }
  });
}

test('Protocol: messages.js checks no nested object that protocol.h does not have', () => {
  for (const [type, fields] of Object.entries(kProtocolTables.nested)) {
    for (const field of Object.keys(fields)) {
      assert.ok(cpp.client_nested[type]?.[field] || cpp.server_nested[type]?.[field], `${type}.${field}`);
    }
  }
});

test('Protocol: the error codes agree in protocol.h, messages.js and PROTOCOL.md', () => {
  assert.deepEqual([...kErrorCodes], cpp.errors, 'messages.js');
  assert.deepEqual(tableRows('Error codes').map(([code]) => code.replace(/`/g, '')), cpp.errors, 'PROTOCOL.md');
});

test('Protocol: every error code the browser reacts to is one the daemon sends', () => {
  const source = readFileSync(join(kSrc, 'public_html', 'js', 'call_flow.js'), 'utf8');
  const compared = [...source.matchAll(/m\.code === '([a-z_]+)'/g)].map((match) => match[1]);
  for (const list of source.matchAll(/\[([^\]]*)\]\.includes\(m\.code\)/g)) {
    compared.push(...[...list[1].matchAll(/'([a-z_]+)'/g)].map((match) => match[1]));
  }
  assert.ok(compared.length >= 5, `found the comparisons (${compared})`);
  for (const code of compared) assert.ok(cpp.errors.includes(code), code);
});

test('Protocol: the cap on followed users agrees in protocol.h, messages.js and PROTOCOL.md', () => {
  assert.equal(kMaxWatchedUsers, cpp.max_watched_users);
  const subscribe = tableRows('Client → server').find((row) => row[0] === '`subscribe`');
  assert.ok(subscribe, 'PROTOCOL.md lists subscribe');
  assert.match(subscribe[2], new RegExp(`at most ${cpp.max_watched_users} user ids`));
});
