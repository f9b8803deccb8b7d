import { describe, expect, it } from 'vitest';
import { nameTokens, suggestAssignment } from './assign.ts';

const cases = [
  { id: 'c-bielik', name: 'Bielik' },
  { id: 'c-sami', name: 'Sámi Language Tech' },
  { id: 'c-gpt', name: 'GPT-SW3' },
];
const participants = [
  { id: 'p3', pseudonym: 'P03', caseId: 'c-bielik' },
  { id: 'p13', pseudonym: 'P13', caseId: 'c-sami' },
  { id: 'p-ana', pseudonym: 'Ana Ž.', caseId: 'c-sami' },
];

describe('suggestAssignment', () => {
  it('finds the participant and the case named in the file name', () => {
    expect(suggestAssignment('Interview_P03_Bielik.docx', cases, participants)).toEqual({ caseId: 'c-bielik', participantIds: ['p3'] });
  });

  it('ignores case, accents, leading zeros and how words are joined', () => {
    expect(suggestAssignment('2024-05-01 sami-language-tech p13.vtt', cases, participants)).toEqual({ caseId: 'c-sami', participantIds: ['p13'] });
    expect(suggestAssignment('InterviewP3GptSw3.txt', cases, participants)).toEqual({ caseId: 'c-gpt', participantIds: ['p3'] });
    expect(suggestAssignment('ana_z_followup.md', cases, participants)).toEqual({ caseId: 'c-sami', participantIds: ['p-ana'] });
  });

  it('matches whole words only: P1 is not P13, and "Bielikowa" is not Bielik', () => {
    expect(suggestAssignment('P1_Bielikowa.txt', cases, participants)).toEqual({ caseId: null, participantIds: [] });
  });

  it('takes the case of the participants when the file names no case and they agree', () => {
    expect(suggestAssignment('P13 second session.docx', cases, participants)).toEqual({ caseId: 'c-sami', participantIds: ['p13'] });
  });

  it('prefers the case named by more words, and names none when two fit equally well', () => {
    expect(suggestAssignment('Bielik vs Sámi Language Tech.txt', cases, participants).caseId).toBe('c-sami');
    expect(suggestAssignment('a b.txt', [{ id: 'x', name: 'A' }, { id: 'y', name: 'B' }], []).caseId).toBeNull();
  });
});

describe('nameTokens', () => {
  it('splits at separators, case changes and digits; lower case; accents (ł too) and leading zeros dropped', () => {
    expect(nameTokens('Interview_P03-ŁódźCity v2')).toEqual(['interview', 'p', '3', 'lodz', 'city', 'v', '2']);
  });
});
