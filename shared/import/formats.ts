/** Extensions the import understands, for file dialogs and messages. A module of its own so
 * screens can name the formats without loading the parsers (and their libraries). */
export const IMPORT_EXTENSIONS = ['txt', 'md', 'vtt', 'srt', 'docx', 'pdf', 'csv'] as const;
