import { describe, expect, it } from 'vitest';
import { badFixture, importFixture } from '../../fixtures/import/files.ts';
import { decodeText } from './decode.ts';

const bytes = (...values: number[]) => new Uint8Array(values);
const utf8 = (text: string) => new TextEncoder().encode(text);

describe('decodeText', () => {
  it('reads UTF-8 with a BOM and CRLF line endings, removing the BOM and turning CRLF into LF', () => {
    const result = decodeText(importFixture('interview-bom-crlf.txt'), 'interview-bom-crlf.txt');
    expect(result).toMatchObject({ encoding: 'utf-8 with BOM' });
    if ('problem' in result) throw new Error(result.problem.message);
    expect(result.note).toBeUndefined();
    expect(result.text.startsWith('Interview with P02 (Lindenfeld language community), 14 March\n\n[00:00:05]')).toBe(true);
    expect(result.text).not.toContain('\r');
    expect(result.text).toContain('At a café meetup.');
  });

  it('reads plain UTF-8 without a note', () => {
    expect(decodeText(utf8('P01: Grüß dich'), 'a.txt')).toEqual({ text: 'P01: Grüß dich', encoding: 'utf-8' });
  });

  it('reads UTF-16 LE and BE when the file starts with a byte-order mark', () => {
    const le = decodeText(importFixture('notes-utf16le.txt'), 'notes-utf16le.txt');
    expect(le).toMatchObject({ encoding: 'utf-16le with BOM' });
    expect('text' in le && le.text.split('\n')[1]).toBe('P05: The keyboard layout — then the spell checker, because Łukasz asked for it.');
    expect(decodeText(bytes(0xfe, 0xff, 0x00, 0x41, 0x00, 0xe9, 0x00, 0x0d, 0x00, 0x0a), 'be.txt')).toEqual({ text: 'Aé\n', encoding: 'utf-16be with BOM' });
  });

  it('recognises UTF-16 LE without a BOM by its zero bytes and says so', () => {
    const text = 'Interviewer: Hello\nP01: Hi';
    const le = new Uint8Array(text.length * 2);
    [...text].forEach((c, i) => (le[i * 2] = c.charCodeAt(0)));
    expect(decodeText(le, 'le.txt')).toEqual({
      text,
      encoding: 'utf-16le (no BOM)',
      note: 'Read as UTF-16LE because the file has no byte-order mark but its bytes are laid out as UTF-16 text; check that the text reads correctly.',
    });
  });

  it('reads a file that is not valid UTF-8 as Windows-1252 and records the decision as a note', () => {
    expect(decodeText(importFixture('answers-latin1.txt'), 'answers-latin1.txt')).toEqual({
      text: [
        'Interviewer: How do you name the project in your own language?',
        'P09: We say "Sprachgarten"; no, sorry: "Jardín de lenguas". Señora Müller chose it.',
        'Interviewer: Is the name used outside the group?',
        'P09: Only in the café, à peu près.',
        '',
      ].join('\n'),
      encoding: 'windows-1252 (converted)',
      note: 'Read as Windows-1252 because the file is not valid UTF-8; check accented letters.',
    });
    // Windows-1252, not ISO-8859-1: 0x80–0x9F are €, curly quotes, dashes and the like.
    expect(decodeText(bytes(0x93, 0x6f, 0x6b, 0x94, 0x20, 0x80, 0x35, 0x20, 0x96, 0x20, 0x9f), 'q.txt')).toMatchObject({ text: '“ok” €5 – Ÿ' });
  });

  it('refuses an empty file and a file of blank space', () => {
    expect(decodeText(badFixture('empty.txt'), 'empty.txt')).toEqual({
      problem: { file: 'empty.txt', message: '“empty.txt” is empty (0 bytes).', hint: 'Check that you picked the right file and that it was saved completely, then import it again.' },
    });
    expect(decodeText(badFixture('blank.md'), 'blank.md')).toEqual({
      problem: {
        file: 'blank.md',
        message: '“blank.md” contains only blank space: there is no text to import.',
        hint: 'Check that you picked the right file and that it was saved completely, then import it again.',
      },
    });
  });

  it('refuses binary data: zero bytes without a UTF-16 layout, or a text full of control characters', () => {
    const hint = 'Check that you picked the transcript itself. Cartography reads plain text (.txt, .md), subtitles (.vtt, .srt), Word (.docx), PDF and CSV files.';
    expect(decodeText(badFixture('binary.txt'), 'binary.txt')).toEqual({
      problem: { file: 'binary.txt', message: '“binary.txt” does not look like text: it contains binary data (zero bytes).', hint },
    });
    expect(decodeText(bytes(0x41, 0x01, 0x02, 0x03, 0x42, 0x1b, 0x43, 0x10, 0x44, 0x45), 'c.txt')).toEqual({
      problem: { file: 'c.txt', message: '“c.txt” does not look like text: it is full of control characters.', hint },
    });
  });

  it('names the kind of file when a PDF, Word or image file has a text extension', () => {
    expect(decodeText(utf8('%PDF-1.7\n...'), 'x.txt')).toEqual({
      problem: { file: 'x.txt', message: '“x.txt” is a PDF document, not a text file.', hint: 'Give the file the .pdf extension and import it again.' },
    });
    expect(decodeText(importFixture('interview.docx'), 'interview.txt')).toMatchObject({
      problem: { message: '“interview.txt” is a ZIP package (a Word .docx file is one), not a text file.' },
    });
    expect(decodeText(bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1), 'old.txt')).toMatchObject({
      problem: { message: '“old.txt” is an old Word 97–2003 document (.doc), not a text file.' },
    });
  });
});
