/**
 * The streamed zip writer behind `.keras` export: Python's zipfile (an independent reader) lists
 * the entries, checks every CRC (`testzip`) and reads the same bytes back; our reader does too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listZip, readZipEntry } from '../../../src/core/saved/zip';
import { crc32, writeStoredZip } from '../../../src/core/saved/zip-writer';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lens-zipw-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('CRC-32 of "123456789" is the check value 0xCBF43926 (the CRC catalogue\'s CRC-32/ISO-HDLC), also when continued', () => {
  const bytes = new TextEncoder().encode('123456789');
  assert.equal(crc32(bytes), 0xcbf43926);
  assert.equal(crc32(bytes.subarray(4), crc32(bytes.subarray(0, 4))), 0xcbf43926);
  assert.equal(crc32(new Uint8Array(0)), 0);
});

test('entries from memory and from a file larger than one 4 MiB chunk: Python\'s zipfile finds every CRC right and reads the same bytes', () => {
  const big = path.join(tmp, 'big.bin');
  const data = new Uint8Array(9 * (1 << 20) + 12345);
  for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24;
  fs.writeFileSync(big, data);
  const out = path.join(tmp, 'a.zip');
  writeStoredZip(out, [
    { name: 'metadata.json', bytes: new TextEncoder().encode('{"keras_version": "3.1.1"}') },
    { name: 'config.json', bytes: new TextEncoder().encode('{"é": 1}') },
    { name: 'model.weights.h5', file: big },
  ]);
  const py = execFileSync(
    '/usr/bin/python3',
    ['-c', `import sys, zipfile, hashlib, json
z = zipfile.ZipFile(sys.argv[1])
print(json.dumps({"bad": z.testzip(), "names": z.namelist(), "methods": [i.compress_type for i in z.infolist()], "config": z.read("config.json").decode(), "sha": hashlib.sha256(z.read("model.weights.h5")).hexdigest()}))`, out],
    { encoding: 'utf8' },
  );
  const r = JSON.parse(py) as { bad: string | null; names: string[]; methods: number[]; config: string; sha: string };
  assert.equal(r.bad, null, 'testzip finds no entry with a wrong CRC');
  assert.deepEqual(r.names, ['metadata.json', 'config.json', 'model.weights.h5']);
  assert.deepEqual(r.methods, [0, 0, 0], 'stored, as Keras writes');
  assert.equal(r.config, '{"é": 1}');
  const sha = execFileSync('/usr/bin/python3', ['-c', 'import sys, hashlib; print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest())', big], { encoding: 'utf8' }).trim();
  assert.equal(r.sha, sha);
  const entries = listZip(out);
  assert.deepEqual(entries.map((e) => [e.name, e.size]), [['metadata.json', 26], ['config.json', 9], ['model.weights.h5', data.length]]);
  assert.deepEqual(Buffer.from(readZipEntry(out, entries[2]!, data.length)).equals(Buffer.from(data)), true);
});
