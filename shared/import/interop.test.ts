// Real transcripts written by other tools (../shared/interop/transcripts/, see its README).
// CI has that folder beside the project; elsewhere these tests are skipped.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { offsetProblems } from '../../fixtures/import/files.ts';
import { previewCsv } from './csv.ts';
import { parseImportFile } from './import-file.ts';
import type { ParsedTranscript } from './types.ts';

const dir = new URL('../../../shared/interop/transcripts/', import.meta.url);
const present = existsSync(dir);
if (!present) console.warn(`Skipping the interop transcript tests: ${dir.pathname} is absent (CI has it beside the project).`);

const read = (name: string) => new Uint8Array(readFileSync(new URL(name, dir)));

async function importOne(name: string): Promise<ParsedTranscript> {
  const result = await parseImportFile(name, read(name));
  expect(result.problems).toEqual([]);
  expect(result.documents).toHaveLength(1);
  const doc = result.documents[0]!;
  expect(offsetProblems(doc)).toEqual([]);
  return doc;
}

const turnText = (doc: ParsedTranscript, i: number) => doc.text.slice(doc.turns[i]!.start, doc.turns[i]!.end);

describe.skipIf(!present)('real transcripts from other tools', () => {
  it('Zoom VTT: 102 cues from five named speakers merge into 26 turns; the cue without a speaker is a turn of its own; U+00A0 stays', async () => {
    const doc = await importOne('zoom_audio_transcript_speakers.vtt');
    expect(doc.speakers).toEqual(['Srijani Ghosh', 'Conor Healy', 'Dr. Melissa Ko', 'Shreeharsh Kelkar', 'Ryan Sloan']);
    expect(doc.turns).toHaveLength(26);
    expect(doc.turns.slice(0, 3).map((t) => [t.speaker, t.time])).toEqual([
      ['Srijani Ghosh', 0.05],
      ['Conor Healy', 2.07],
      ['Srijani Ghosh', 5.14],
    ]);
    expect(turnText(doc, 0)).toBe('Srijani Ghosh: Hi!');
    expect(turnText(doc, 2)).toBe('Srijani Ghosh: Hello! Hello! Hello! Why are you so dark? So');
    const hmm = doc.turns.findIndex((t) => t.speaker === null);
    expect([turnText(doc, hmm), doc.turns[hmm]!.time]).toEqual(['Hmm.', 307.3]);
    expect(doc.text).toContain('of the 90\u00A0min class');
  });

  it('Whisper VTT: MM:SS.mmm times without hours, no speakers, leading spaces trimmed; one turn per cue', async () => {
    const doc = await importOne('whisper_vtt_mmss_no_hours.vtt');
    expect(doc.speakers).toEqual([]);
    expect(doc.turns).toHaveLength(44);
    expect(doc.turns.slice(0, 4).map((t) => t.time)).toEqual([0, 6.3, 9.2, 10.2]);
    expect(doc.turns.at(-1)!.time).toBe(234.1);
    expect(doc.text.startsWith('Would you like to have extra material as exercises for vocabulary and grammar?\n\nJoin our membership.\n\nHello!')).toBe(true);
  });

  it('speech-recognition SRT: 864 cues over two hours, one turn each with its time, no false speakers', async () => {
    const doc = await importOne('asr_oral_history_civil_rights_interview.srt');
    expect(doc.speakers).toEqual([]);
    expect(doc.turns).toHaveLength(864);
    expect(doc.turns.slice(0, 3).map((t) => t.time)).toEqual([0, 8, 20]);
    expect(doc.turns.at(-1)!.time).toBe(1 * 3600 + 57 * 60 + 19);
    expect(turnText(doc, 863)).toBe('This has been a presentation of the Library of Congress and the Smithsonian National Museum of African American History and Culture.');
  });

  it('Otter.ai text: the text is kept as it is; "Name  M:SS" blocks give 122 turns of four speakers', async () => {
    const doc = await importOne('otter_ai_podcast_speaker_blocks.txt');
    expect(doc.text).toBe(new TextDecoder().decode(read('otter_ai_podcast_speaker_blocks.txt')));
    expect(doc.speakers).toEqual(['Emma', 'Kelly', 'Ali', 'Unknown Speaker']);
    expect(doc.turns).toHaveLength(122);
    expect(doc.turns.slice(0, 3).map((t) => [t.speaker, t.time])).toEqual([
      ['Emma', 0],
      ['Kelly', 22],
      ['Ali', 24],
    ]);
    expect(turnText(doc, 1)).toBe('Kelly  0:22  \nWelcome to the ladybug podcast. I\'m Kelly.');
    expect(doc.turns.at(-1)).toMatchObject({ speaker: 'Emma', time: 34 * 60 + 25 });
  });

  it('f4-style Word file: I/B turns (I is the interviewer), each timed by the mark that ends the paragraph before', async () => {
    const doc = await importOne('f4style_interview_en_IB_timestamps.docx');
    expect(doc.speakers).toEqual(['I', 'B']);
    expect(doc.turns).toHaveLength(101);
    expect(doc.text.startsWith('Interview introduction... #00:01:16-1#\n\nI: Q1 #00:01:22-6#\n\nB: (...)  #00:02:56-9#')).toBe(true);
    expect(doc.turns.slice(0, 3)).toEqual([
      { start: 40, end: 58, speaker: 'I', time: 76.1, isInterviewer: true },
      { start: 60, end: 82, speaker: 'B', time: 82.6, isInterviewer: false },
      { start: 84, end: 130, speaker: 'I', time: 176.9, isInterviewer: true },
    ]);
    expect(turnText(doc, 100)).toBe('I: okay so thank you ... #00:34:05-7#');
    expect(doc.turns[100]!.time).toBe(2037.7);
  });

  it('Oral History as Data CSV: the guessed mapping reads words, speakers ("DB:"), sparse times and semicolon-separated tags', async () => {
    const bytes = read('ohd_oral_history_coded_excerpts.csv');
    expect(previewCsv(new TextDecoder().decode(bytes)).guessedMapping).toEqual({
      text: 'words',
      speaker: 'speaker',
      time: 'timestamp',
      document: null,
      case: null,
      participant: null,
      codes: 'tags',
    });
    const doc = await importOne('ohd_oral_history_coded_excerpts.csv');
    expect(doc.title).toBe('ohd oral history coded excerpts');
    expect(doc.speakers).toEqual(['DB', 'LG', 'KRISTIN']);
    expect(doc.turns).toHaveLength(352);
    expect(turnText(doc, 0)).toBe("(Conversation about some of the art around Glück's apartment, and the print she used for the cover of Village Life)");
    expect(doc.turns.slice(0, 3).map((t) => [t.speaker, t.time])).toEqual([
      [null, null],
      ['DB', 0],
      ['LG', null],
    ]);
    expect(doc.codings).toHaveLength(264);
    expect(doc.codings[0]).toEqual({ turn: 4, start: doc.turns[4]!.start + 4, end: doc.turns[4]!.end, codeNames: ['career'], row: 6 });
    expect(doc.codings.find((c) => c.row === 10)!.codeNames).toEqual(['career', 'yaleyounger', 'teaching']);
    expect(doc.codings.find((c) => c.row === 11)!.codeNames).toEqual(['career', 'yaleyounger']);
    expect(doc.notes).toEqual(['The text contains HTML character references such as &#8212; or &amp;; they were kept as written.']);
  });

  it('QualCoder survey CSV: free text with quoted commas; the Case column names a different case on each row', async () => {
    const doc = await importOne('qualcoder_survey_open_ended.csv');
    expect(doc.turns.map((t) => t.speaker)).toEqual([null, null, null]);
    expect(turnText(doc, 0)).toBe('I wanted to do some more studies but after leaving school and start working, I really lost the interest.');
    expect(doc.caseName).toBeNull();
    expect(doc.notes).toEqual(['The rows of this document name 3 cases (ID4, ID5, ID6), so no case was chosen; assign one by hand, or choose a document column that separates them.']);
  });
});
