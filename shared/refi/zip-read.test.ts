import { strFromU8, strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { crc32, openZip, readZipEntries, ZipReadError } from './zip-read.ts';

const mtime = new Date(2000, 0, 1, 12, 0, 0);
const zip = (files: Record<string, string | Uint8Array>, level: 0 | 6 = 6) =>
  zipSync(Object.fromEntries(Object.entries(files).map(([name, data]) => [name, [typeof data === 'string' ? strToU8(data) : data, { mtime, level }]])));

/** Byte offsets of a ZIP record's signature. */
const offsets = (bytes: Uint8Array, signature: number) => {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: number[] = [];
  for (let i = 0; i + 4 <= bytes.length; i += 1) if (view.getUint32(i, true) === signature) out.push(i);
  return out;
};
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function refusal(run: () => unknown): ZipReadError {
  try {
    run();
  } catch (error) {
    if (error instanceof ZipReadError) return error;
    throw error;
  }
  throw new Error('the package was not refused');
}

describe('readZipEntries', () => {
  it('reads stored and deflated entries by name, directories left out', () => {
    const stored = zip({ 'project.qde': '<Project/>', 'sources/a.txt': 'Héllo 😀' }, 0);
    const deflated = zip({ 'project.qde': '<Project/>', 'sources/': new Uint8Array(0), 'sources/a.txt': 'Héllo 😀'.repeat(100) });
    expect([...readZipEntries(stored, 's.qdpx')].map(([name, data]) => [name, strFromU8(data)])).toEqual([
      ['project.qde', '<Project/>'],
      ['sources/a.txt', 'Héllo 😀'],
    ]);
    const entries = readZipEntries(deflated, 'd.qdpx');
    expect(strFromU8(entries.get('sources/a.txt')!)).toBe('Héllo 😀'.repeat(100));
    expect([...entries.keys()]).toEqual(['project.qde', 'sources/a.txt']);
  });

  it('computes CRC-32 as ZIP does', () => {
    expect(crc32(strToU8('123456789'))).toBe(0xcbf43926);
  });

  it('refuses an empty file, a file that is not a ZIP, and a cut-off one', () => {
    expect(refusal(() => readZipEntries(new Uint8Array(0), 'e.qdpx')).message).toMatch(/^“e\.qdpx” is empty \(0 bytes\)\./);
    expect(refusal(() => readZipEntries(strToU8('<Project/>'), 'x.qdpx')).message).toMatch(/^“x\.qdpx” is not a REFI-QDA project package: a \.qdpx file is a ZIP package, and this file is not one/);
    const whole = zip({ 'project.qde': 'x'.repeat(1000) });
    expect(refusal(() => readZipEntries(whole.subarray(0, whole.length - 10), 't.qdpx')).message).toMatch(/^“t\.qdpx” is damaged or incomplete: the ZIP directory at its end is missing\./);
  });

  it('refuses entry names that leave the package, naming the entry', () => {
    for (const name of ['../evil.txt', 'sources/../../evil.txt', '/etc/passwd', 'C:/Windows/evil.txt', '..\\evil.txt']) {
      const error = refusal(() => readZipEntries(zip({ [name]: 'x' }), 'p.qdpx'));
      expect(error.entry).toBe(name);
      expect(error.message).toContain('it would point outside the package, so the file was refused');
    }
  });

  it('reads backslash separators (some Windows tools write them) as folders', () => {
    expect([...readZipEntries(zip({ 'Sources\\a.txt': 'x' }), 'w.qdpx').keys()]).toEqual(['Sources/a.txt']);
  });

  it('refuses encrypted entries, unknown compression methods, two entries of the same name and a wrong checksum', () => {
    const encrypted = zip({ 'project.qde': 'x' });
    encrypted[offsets(encrypted, CENTRAL)[0]! + 8]! |= 1;
    expect(refusal(() => readZipEntries(encrypted, 'enc.qdpx')).message).toBe(
      '“enc.qdpx” is encrypted (the entry “project.qde” needs a password), and Cartography cannot read encrypted packages. Export the project again without a password.',
    );
    const bzip = zip({ 'project.qde': 'x' });
    bzip[offsets(bzip, CENTRAL)[0]! + 10] = 12;
    expect(refusal(() => readZipEntries(bzip, 'bz.qdpx')).message).toMatch(/^“bz\.qdpx”: the entry “project\.qde” is compressed with method 12, which Cartography cannot unpack/);
    const twice = zip({ 'a.txt': 'one', 'b.txt': 'two' }, 0);
    const central = offsets(twice, CENTRAL)[1]!;
    twice[central + 46] = 'a'.charCodeAt(0);
    expect(refusal(() => readZipEntries(twice, 'twice.qdpx')).message).toMatch(/^“twice\.qdpx” holds two entries named “a\.txt”/);
    const flipped = zip({ 'a.txt': 'hello' }, 0);
    const local = offsets(flipped, LOCAL)[0]!;
    flipped[local + 30 + 'a.txt'.length]! ^= 0x20;
    expect(refusal(() => readZipEntries(flipped, 'crc.qdpx')).message).toMatch(/^“crc\.qdpx” is damaged or incomplete: the checksum of the entry “a\.txt” does not match its contents\./);
  });

  it('refuses a package past its limits: entries, one entry, all entries, and an entry inflating past what it declares', () => {
    const three = zip({ a: '1', b: '2', c: '3' });
    expect(refusal(() => readZipEntries(three, 'many.qdpx', { maxEntries: 2 })).message).toMatch(/^“many\.qdpx” holds 3 entries, more than the 2 Cartography reads from one package\./);
    const big = zip({ 'a.txt': 'a'.repeat(5000), 'b.txt': 'b'.repeat(5000) });
    expect(refusal(() => readZipEntries(big, 'one.qdpx', { maxEntryBytes: 4000 })).message).toMatch(/^“one\.qdpx”: the entry “a\.txt” declares 5000 bytes, more than the 4000 bytes one entry may unpack to, so reading stopped\./);
    const total = refusal(() => readZipEntries(big, 'all.qdpx', { maxTotalBytes: 8000 }));
    expect(total.entry).toBe('b.txt');
    expect(total.message).toMatch(/would bring the package past 8000 bytes unpacked/);
    // declared sizes lie: the inflated bytes are counted and reading stops
    const lying = zip({ 'a.txt': 'a'.repeat(100_000) });
    const view = new DataView(lying.buffer);
    view.setUint32(offsets(lying, CENTRAL)[0]! + 24, 100, true);
    expect(refusal(() => readZipEntries(lying, 'lie.qdpx')).message).toMatch(/the entry “a\.txt” unpacks to more than the 100 bytes its header declares, so reading stopped/);
  });

  it('openZip lists entries without unpacking them, and unpacks one on demand', () => {
    const archive = openZip(zip({ 'project.qde': 'p', 'sources/movie.mp4': new Uint8Array(10_000) }), 'lazy.qdpx', { maxTotalBytes: 100 });
    expect(archive.entries.map((e) => [e.name, e.declaredSize])).toEqual([
      ['project.qde', 1],
      ['sources/movie.mp4', 10_000],
    ]);
    expect(strFromU8(archive.read('project.qde'))).toBe('p');
    expect(() => archive.read('sources/movie.mp4')).toThrow(ZipReadError);
  });
});
