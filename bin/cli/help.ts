/** What `cartography --help` and `cartography help <command>` print. */

export const COMMANDS = ['stats', 'convert', 'report', 'matrix', 'agreement', 'help'] as const;
export type CommandName = (typeof COMMANDS)[number];

export const GENERAL_USAGE = `Usage: cartography <command> [options]

Commands:
  stats FILE                  counts of codes, sources, cases, … as JSON
  convert IN OUT              between .qdpx, .qdc, .cartography.json and .csv
  report IN -o OUT            the codebook report as HTML, Markdown or Word
  matrix IN -o OUT.csv        a case × code or attribute × code matrix as CSV
  agreement FILE --unit U     inter-coder agreement per code: percent, kappa, alpha
  help [COMMAND]              this text, or a command's options

Files: .qdpx (REFI-QDA project; or a bare .qde), .qdc (REFI-QDA codebook),
       .cartography.json (study file), .csv (codebook or codings table).
Exit codes: 0 done; 1 bad input or impossible conversion (nothing written);
            2 wrong usage.
Run "cartography help COMMAND" for a command's options.
`;

export const COMMAND_USAGE: Record<CommandName, string> = {
  stats: `Usage: cartography stats FILE

Prints, as JSON, how many codes, sources, cases, variables, selections,
codings, users, notes and links FILE holds, in REFI-QDA's terms:
  .qdpx, .qde   as written in the project file
  study file    as the .qdpx "convert" writes from it: sources = documents,
                variables = case attributes, selections = coded segments (and
                segments kept for a memo), users = coders, notes = memos,
                links = ties between two cases, and memos about a case
  codebook      its codes; the rest is 0
`,
  convert: `Usage: cartography convert IN OUT [options]

Converts IN to the format of OUT's extension:
  .cartography.json  study file (from a codebook: a study holding only it)
  .qdpx              REFI-QDA project
  .qdc               REFI-QDA codebook (the codebook only)
  .csv               a table, see --table

Options:
  --table codebook|codings  which table a .csv holds. Default: "codings" when OUT
                            ends in .codings.csv, "codebook" when it ends in
                            .codebook.csv; else codings for a study or project,
                            codebook for a codebook.
  --utf16-positions         .qdpx positions in UTF-16 units (as NVivo writes
                            them) instead of characters (the standard)

A codebook has no codings: converting it to a codings table is refused.
Codings tables are written, not read.
`,
  report: `Usage: cartography report IN -o OUT [options]

Writes the codebook report of IN (a study file, project or codebook).

Options:
  -o, --output OUT        the file to write (required)
  --format html|md|docx   default: from OUT's extension (.html, .md, .docx)
  --exemplars N           exemplar quotes per code, 0–10 (default 2); those
                          pinned in the app (kept in the study file) first
  --anonymise             replace participants' organisations in every quote
  --terms FILE            identifying terms to replace, one "term => replacement"
                          per line ("term" alone: replaced by [removed])
  --stages LIST           only these stages, by name, comma-separated;
                          "cross-stage" for codes without a stage
  --matrix                include the case × code matrix
`,
  matrix: `Usage: cartography matrix IN -o OUT.csv [options]

Writes a matrix of IN (a study file or project) as CSV, as the app's Matrices
screen exports it: row label, one column per code path "Parent > Child", a Total
column and a Total row.

Options:
  -o, --output OUT.csv    the file to write (required)
  --rows ROWS             case (default), participant, document, or
                          attribute:NAME (cases grouped by an attribute's value)
  --metric METRIC         segments (default), participants or presence
                          (0/1 per case; cases where the code appears, for
                          attribute rows)
  --normalise             attribute rows: divide by the cases in each group
`,
  agreement: `Usage: cartography agreement FILE --unit document|character|segment [options]

Prints how far the coders of FILE (a study file or project) agree, per code and
overall (every code's units pooled): percent agreement, Cohen's kappa (two
coders only) and Krippendorff's alpha (nominal), with the number of units, and a
note wherever a value is undefined (no variation, no units).

Units:
  document                one per code and document: did the coder use the code
                          in the document
  character               one per code and character: is it inside the coder's
                          coding of the code (characters nobody coded agree)
  segment                 codings of different coders match when their overlap
                          is at least --overlap of their union; each match, and
                          each coding left unmatched, is one unit

Options:
  --unit UNIT             document, character or segment (required)
  --overlap SHARE         segment unit: 0 < SHARE <= 1 (default 0.5)
  --coders NAME,NAME      the coders to compare, by name (case-insensitive) or
                          GUID; default: every coder with codings
  --codes NAME,...        only these codes, by name or path "Parent > Child";
                          default: every code
  --all-documents         compare over every document; default: only those in
                          which every compared coder has a coding (a coder
                          without codings in a document is taken to have found
                          nothing there)
  --json                  print JSON: { unit, overlap?, coders, overall, codes }
                          instead of a table

Reading the values: kappa after Landis & Koch (0.61–0.80 substantial, above 0.80
almost perfect); alpha after Krippendorff (0.800 or more reliable, 0.667–0.800
tentative conclusions only).
`,
  help: `Usage: cartography help [COMMAND]

Prints the general usage, or the options of COMMAND (${COMMANDS.filter((c) => c !== 'help').join(', ')}).
`,
};
