/**
 * Reads the entries of a ZIP package (a .qdpx) that came from somewhere we do not control.
 * Pure: bytes in, bytes out. The package is refused, with a message that names the file and
 * the entry, says what is wrong and what to do, when it is empty, not a ZIP, cut off or
 * damaged (no end-of-directory record, data past the end, a checksum that does not match),
 * encrypted, compressed with a method other than stored/deflate, or holds an entry whose name
 * leaves the package (`../`, an absolute path, a drive letter) or appears twice.
 *
 * Zip bombs: an entry whose declared size passes a limit is refused before it is inflated.
 * Declared sizes can lie, so the bytes actually inflated are counted too: compressed data
 * goes to fflate's streaming `Inflate` in small slices (deflate expands a slice at most about
 * 1,032 times, so each step adds at most ~16 MiB), and reading stops with an error as soon as
 * an entry unpacks to more than it declared or than a limit allows. Memory use is bounded by
 * the limits, never by what the file claims.
 *
 * Default limits: 10,000 entries, 256 MiB per entry, 512 MiB in all. A REFI-QDA project
 * holds one XML file and its sources' texts; even a large study (a thousand transcripts of a
 * few hundred KiB) stays far below this, while a desktop app can still hold it in memory.
 */
import { Inflate } from 'fflate';
import { quoted } from './wording.ts';

export interface ZipLimits {
  /** Entries in the central directory, directories included. */
  maxEntries: number;
  /** Bytes one entry may unpack to. */
  maxEntryBytes: number;
  /** Bytes all entries read may unpack to together. */
  maxTotalBytes: number;
}

const MiB = 1024 * 1024;
export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 10_000, maxEntryBytes: 256 * MiB, maxTotalBytes: 512 * MiB };

/** A package that cannot be read; `message` names the file (and entry), what is wrong and what to do. */
export class ZipReadError extends Error {
  readonly fileName: string;
  /** The entry at fault, or null when the package as a whole is. */
  readonly entry: string | null;
  constructor(fileName: string, entry: string | null, message: string) {
    super(message);
    this.name = 'ZipReadError';
    this.fileName = fileName;
    this.entry = entry;
  }
}

export interface ZipEntryInfo {
  /** Path inside the package, with `/` separators. */
  name: string;
  /** 0 = stored, 8 = deflate. */
  method: number;
  compressedSize: number;
  /** What the directory declares; checked against the bytes actually unpacked. */
  declaredSize: number;
  crc: number;
  /** Offset of the entry's local header. */
  headerOffset: number;
}

export interface ZipArchive {
  /** File entries (directories left out), in directory order. */
  readonly entries: readonly ZipEntryInfo[];
  /** Unpacks one entry; counts towards the package's total. Throws ZipReadError. */
  read(name: string): Uint8Array;
}

const SLICE = 16 * 1024;
const EOCD = 0x06054b50;
const EOCD64_LOCATOR = 0x07064b50;
const EOCD64 = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

const REEXPORT = 'Export the project again from the program that made it, or copy the file again if it came from elsewhere.';
const size = (bytes: number) => (bytes >= MiB ? `${Math.round((bytes / MiB) * 10) / 10} MiB` : `${bytes} bytes`);

let crcTable: Uint32Array | null = null;
/** CRC-32 (IEEE), as ZIP stores it for each entry. */
export function crc32(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n += 1) {
      let c = n;
      for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i += 1) crc = crcTable[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** An entry name as a safe relative path, or a reason why it is not one. */
function safeName(raw: string): { name: string } | { reason: string } {
  // Some Windows tools write backslashes as separators.
  const name = raw.replace(/\\/g, '/');
  if (name.startsWith('/')) return { reason: 'is an absolute path' };
  if (/^[a-zA-Z]:/.test(name)) return { reason: 'starts with a drive letter' };
  if (name.split('/').some((part) => part === '..')) return { reason: 'climbs out of the package with “..”' };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f]/.test(name)) return { reason: 'holds control characters' };
  return { name };
}

// TextDecoder is a standard global in browsers and Node; declared because shared/ compiles without the DOM library.
declare const TextDecoder: new (label?: string, options?: { fatal?: boolean }) => { decode(input?: Uint8Array): string };

/** Names are UTF-8 (flag bit 11) or, in old tools, CP437; the ASCII names of a .qdpx read the same either way. */
const decodeName = (bytes: Uint8Array): string => new TextDecoder('utf-8').decode(bytes);

/** Opens a package: reads and checks its directory; entries are unpacked on `read`. */
export function openZip(bytes: Uint8Array, fileName: string, limits: Partial<ZipLimits> = {}): ZipArchive {
  const limit: ZipLimits = { ...DEFAULT_ZIP_LIMITS, ...limits };
  const fail = (message: string, entry: string | null = null): never => {
    throw new ZipReadError(fileName, entry, message);
  };
  if (bytes.length === 0) fail(`${quoted(fileName)} is empty (0 bytes). ${REEXPORT}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  const u64 = (at: number) => u32(at) + u32(at + 4) * 0x100000000;
  const isZip = bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5) && (bytes[3] === 4 || bytes[3] === 6);
  if (!isZip) fail(`${quoted(fileName)} is not a REFI-QDA project package: a .qdpx file is a ZIP package, and this file is not one (it may be damaged or renamed). ${REEXPORT}`);

  // The end-of-central-directory record: 22 bytes plus a comment of at most 65,535.
  let eocd = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at -= 1) {
    if (u32(at) === EOCD && at + 22 + u16(at + 20) === bytes.length) {
      eocd = at;
      break;
    }
  }
  const damaged = (what: string, entry: string | null = null): never =>
    fail(`${quoted(fileName)} is damaged or incomplete: ${what}. The file may have been cut off while it was copied or downloaded. ${REEXPORT}`, entry);
  if (eocd === -1) damaged('the ZIP directory at its end is missing');
  let count = u16(eocd + 10);
  let directorySize = u32(eocd + 12);
  let directoryOffset = u32(eocd + 16);
  if (count === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
    // ZIP64: the real values are in the ZIP64 end-of-directory record the locator points at.
    const locator = eocd - 20;
    if (locator < 0 || u32(locator) !== EOCD64_LOCATOR) damaged('the ZIP64 directory locator is missing');
    const record = u64(locator + 8);
    if (record + 56 > bytes.length || u32(record) !== EOCD64) damaged('the ZIP64 directory record is missing');
    count = u64(record + 32);
    directorySize = u64(record + 40);
    directoryOffset = u64(record + 48);
  }
  if (count > limit.maxEntries) {
    fail(`${quoted(fileName)} holds ${count} entries, more than the ${limit.maxEntries} Cartography reads from one package. A REFI-QDA project holds one file per source; if this one is genuine, export it in parts.`);
  }
  if (directoryOffset + directorySize > bytes.length) damaged('its ZIP directory runs past the end of the file');

  const entries: ZipEntryInfo[] = [];
  const seen = new Set<string>();
  let at = directoryOffset;
  for (let i = 0; i < count; i += 1) {
    if (at + 46 > bytes.length || u32(at) !== CENTRAL) damaged(`entry ${i + 1} of its ZIP directory cannot be read`);
    const flags = u16(at + 8);
    const method = u16(at + 10);
    const crc = u32(at + 16);
    let compressedSize = u32(at + 20);
    let declaredSize = u32(at + 24);
    const nameLength = u16(at + 28);
    const extraLength = u16(at + 30);
    const commentLength = u16(at + 32);
    let headerOffset = u32(at + 42);
    if (at + 46 + nameLength + extraLength + commentLength > bytes.length) damaged(`entry ${i + 1} of its ZIP directory runs past the end of the file`);
    const rawName = decodeName(bytes.subarray(at + 46, at + 46 + nameLength));
    // ZIP64 extended information: the 64-bit values of the fields set to 0xFFFFFFFF, in this order.
    for (let x = at + 46 + nameLength; x + 4 <= at + 46 + nameLength + extraLength; ) {
      const id = u16(x);
      const length = u16(x + 2);
      if (id === 0x0001) {
        let y = x + 4;
        if (declaredSize === 0xffffffff && y + 8 <= x + 4 + length) {
          declaredSize = u64(y);
          y += 8;
        }
        if (compressedSize === 0xffffffff && y + 8 <= x + 4 + length) {
          compressedSize = u64(y);
          y += 8;
        }
        if (headerOffset === 0xffffffff && y + 8 <= x + 4 + length) headerOffset = u64(y);
      }
      x += 4 + length;
    }
    at += 46 + nameLength + extraLength + commentLength;

    const safe = safeName(rawName);
    if ('reason' in safe) {
      fail(`${quoted(fileName)} holds an entry named ${quoted(rawName)}, which ${safe.reason}: it would point outside the package, so the file was refused. Programs that write REFI-QDA projects never do this; do not open this file if you do not know where it came from.`, rawName);
    }
    const name = (safe as { name: string }).name;
    if (name.endsWith('/')) continue; // a directory
    if (seen.has(name)) fail(`${quoted(fileName)} holds two entries named ${quoted(name)}, so it is not clear which one is meant. ${REEXPORT}`, name);
    seen.add(name);
    if (flags & 0x0001) fail(`${quoted(fileName)} is encrypted (the entry ${quoted(name)} needs a password), and Cartography cannot read encrypted packages. Export the project again without a password.`, name);
    if (method !== 0 && method !== 8) {
      fail(`${quoted(fileName)}: the entry ${quoted(name)} is compressed with method ${method}, which Cartography cannot unpack (it reads stored and deflated entries, which every QDA program writes). ${REEXPORT}`, name);
    }
    entries.push({ name, method, compressedSize, declaredSize, crc, headerOffset });
  }

  const byName = new Map(entries.map((e) => [e.name, e]));
  let total = 0;
  const tooLarge = (entry: string, what: string): never =>
    fail(
      `${quoted(fileName)}: the entry ${quoted(entry)} ${what}, so reading stopped. A package that unpacks to far more than it weighs is a “zip bomb”; if this project is genuine, export it without its media files or in parts.`,
      entry,
    );

  const read = (name: string): Uint8Array => {
    const entry = byName.get(name);
    if (!entry) return fail(`${quoted(fileName)} has no entry ${quoted(name)}.`, name);
    if (entry.declaredSize > limit.maxEntryBytes) tooLarge(name, `declares ${size(entry.declaredSize)}, more than the ${size(limit.maxEntryBytes)} one entry may unpack to`);
    if (total + entry.declaredSize > limit.maxTotalBytes) tooLarge(name, `would bring the package past ${size(limit.maxTotalBytes)} unpacked, the most Cartography reads from one package`);
    const h = entry.headerOffset;
    if (h + 30 > bytes.length || u32(h) !== LOCAL) damaged(`the entry ${quoted(name)} has no local header where the directory says`, name);
    const start = h + 30 + u16(h + 26) + u16(h + 28);
    if (start + entry.compressedSize > bytes.length) damaged(`the data of the entry ${quoted(name)} runs past the end of the file`, name);
    const compressed = bytes.subarray(start, start + entry.compressedSize);

    let data: Uint8Array;
    if (entry.method === 0) {
      if (entry.compressedSize !== entry.declaredSize) damaged(`the stored entry ${quoted(name)} declares ${entry.declaredSize} bytes but holds ${entry.compressedSize}`, name);
      data = compressed.slice();
    } else {
      const chunks: Uint8Array[] = [];
      let produced = 0;
      const inflate = new Inflate((chunk) => {
        produced += chunk.length;
        if (produced > limit.maxEntryBytes) tooLarge(name, `unpacks to more than ${size(limit.maxEntryBytes)}, the most one entry may unpack to`);
        if (total + produced > limit.maxTotalBytes) tooLarge(name, `brings the package past ${size(limit.maxTotalBytes)} unpacked, the most Cartography reads from one package`);
        // Declared sizes passed the limits above; an entry that unpacks to more is lying about its size.
        if (produced > entry.declaredSize) tooLarge(name, `unpacks to more than the ${size(entry.declaredSize)} its header declares`);
        chunks.push(chunk);
      });
      try {
        if (compressed.length === 0) inflate.push(new Uint8Array(0), true);
        for (let offset = 0; offset < compressed.length; offset += SLICE) {
          inflate.push(compressed.subarray(offset, offset + SLICE), offset + SLICE >= compressed.length);
        }
      } catch (error) {
        if (error instanceof ZipReadError) throw error;
        damaged(`the entry ${quoted(name)} cannot be unpacked (${error instanceof Error ? error.message : String(error)})`, name);
      }
      data = new Uint8Array(produced);
      let offset = 0;
      for (const chunk of chunks) {
        data.set(chunk, offset);
        offset += chunk.length;
      }
    }
    if (data.length !== entry.declaredSize) damaged(`the entry ${quoted(name)} declares ${entry.declaredSize} bytes but unpacks to ${data.length}`, name);
    if (crc32(data) !== entry.crc) damaged(`the checksum of the entry ${quoted(name)} does not match its contents`, name);
    total += data.length;
    return data;
  };

  return { entries, read };
}

/** Every file entry of the package by name, within the limits (see the module comment). Throws ZipReadError. */
export function readZipEntries(bytes: Uint8Array, fileName: string, limits: Partial<ZipLimits> = {}): Map<string, Uint8Array> {
  const zip = openZip(bytes, fileName, limits);
  return new Map(zip.entries.map((entry) => [entry.name, zip.read(entry.name)]));
}
