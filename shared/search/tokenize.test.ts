import { describe, expect, it } from 'vitest';
import { foldTerm, tokenize } from './tokenize.ts';

const words = (text: string) => tokenize(text).map((t) => text.slice(t.start, t.end));
const terms = (text: string) => tokenize(text).map((t) => t.term);

describe('tokenize', () => {
  it('gives every token its UTF-16 offsets in the original text and a folded term', () => {
    const text = 'Well, Café Ørsted!';
    expect(tokenize(text)).toEqual([
      { start: 0, end: 4, term: 'well' },
      { start: 6, end: 10, term: 'cafe' },
      { start: 11, end: 17, term: 'orsted' },
    ]);
  });

  it('splits at apostrophes and hyphens, so the parts of a compound are adjacent tokens', () => {
    expect(words("We fine-tuned Norway's model, didn’t we?")).toEqual(['We', 'fine', 'tuned', 'Norway', 's', 'model', 'didn', 't', 'we']);
  });

  it('keeps digits, and letters of any script, in words', () => {
    expect(words('GPT-4 in 2024: Ελληνικά, русский, עברית, हिन्दी')).toEqual(['GPT', '4', 'in', '2024', 'Ελληνικά', 'русский', 'עברית', 'हिन्दी']);
  });

  it('keeps combining marks in the token and its offsets', () => {
    const text = 'the cafe\u0301 opened';
    expect(tokenize(text)[1]).toEqual({ start: 4, end: 9, term: 'cafe' });
  });

  it('counts an emoji before a word as two code units and never as a word', () => {
    const text = '🙂🙂 café 👍🏽';
    expect(tokenize(text)).toEqual([{ start: 5, end: 9, term: 'cafe' }]);
  });

  it('treats letters outside the Basic Multilingual Plane as letters', () => {
    const text = 'x 𝒜𝒷 y';
    expect(tokenize(text)).toEqual([
      { start: 0, end: 1, term: 'x' },
      { start: 2, end: 6, term: 'ab' },
      { start: 7, end: 8, term: 'y' },
    ]);
  });

  it('splits Thai into words with Intl.Segmenter', () => {
    const text = 'ภาษาไทยเป็นภาษาที่สวยงาม';
    expect(words(text)).toEqual(['ภาษา', 'ไทย', 'เป็น', 'ภาษา', 'ที่', 'สวยงาม']);
    expect(tokenize(text)[1]).toEqual({ start: 4, end: 7, term: 'ไทย' });
  });

  it('segments a long run of Thai in chunks exactly as a whole', () => {
    const text = 'ภาษาไทยเป็นภาษาที่สวยงามมาก'.repeat(200);
    const whole = [...new Intl.Segmenter('th', { granularity: 'word' }).segment(text)].filter((s) => s.isWordLike).map((s) => [s.index, s.segment]);
    expect(tokenize(text).map((t) => [t.start, text.slice(t.start, t.end)])).toEqual(whole);
  });

  it('makes one token of each Han ideograph and kana', () => {
    expect(words('我们的数据 and カタカナ')).toEqual(['我', '们', '的', '数', '据', 'and', 'カ', 'タ', 'カ', 'ナ']);
  });

  it('leaves a trailing soft hyphen or joiner out of the token, and joins a word split by one', () => {
    const text = 'fine\u00adtune\u00ad now';
    expect(tokenize(text)).toEqual([
      { start: 0, end: 9, term: 'finetune' },
      { start: 11, end: 14, term: 'now' },
    ]);
  });
});

describe('foldTerm', () => {
  it('folds case and diacritics', () => {
    expect(['Café', 'ÉCOLE', 'Bokmål', 'naïve', 'Ελληνικά', 'Ёлка', 'Çağrı'].map(foldTerm)).toEqual([
      'cafe',
      'ecole',
      'bokmal',
      'naive',
      'ελληνικα',
      'елка',
      'cagri',
    ]);
  });

  it('folds letters that do not decompose', () => {
    expect(['Straße', 'STRASSE', 'Ærø', 'Œuvre', 'Łódź', 'Đorđe', 'Þingvellir', 'İstanbul', 'ΟΔΟΣ'].map(foldTerm)).toEqual([
      'strasse',
      'strasse',
      'aero',
      'oeuvre',
      'lodz',
      'dorde',
      'thingvellir',
      'istanbul',
      'οδοσ',
    ]);
  });

  it('folds compatibility forms: ligatures and full-width letters', () => {
    expect(['ﬁnal', 'ＡＢＣ'].map(foldTerm)).toEqual(['final', 'abc']);
  });

  it('keeps the vowel signs of Indic and Thai scripts, which are letters there', () => {
    expect(terms('कि की ที่')).toEqual(['कि', 'की', 'ที่']);
  });
});
