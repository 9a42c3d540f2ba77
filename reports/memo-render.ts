/**
 * The decision memo (memo.ts) written out: as Markdown and as an HTML
 * fragment at the top of report.md and index.html, as the standalone files
 * memo.md and memo.html people paste into decks (the terminal's plain text
 * is memo.ts memoText). The memo's text is escaped here like every other text
 * (escape.ts); the page's style and table markup are index.html's.
 */
import { CHANGES, type Memo } from './memo.js';
import { escapeHtml as h, escapeMarkdown as md } from './escape.js';
import { pageHead, table as htmlTable } from './html.js';
import { table as markdownTable } from './markdown.js';

/** The memo in Markdown, opening with "# Decision memo: <scenario>". */
export function memoMarkdown(m: Memo): string {
  const out = [`# Decision memo: ${md(m.scenario)}`, '', `**${md(m.answer)}**`];
  if (m.others.length > 0) out.push('', ...m.others.map((l) => `- ${md(l)}`));
  if (m.changes.length > 0) out.push('', `**${CHANGES}**`, '', ...m.changes.map((l) => `- ${md(l)}`));
  for (const l of m.notes) out.push('', `*${md(l)}*`);
  if (m.table) out.push('', markdownTable(m.table));
  return out.join('\n');
}

/** memo.md: the memo, then where its figures come from (the report's provenance line). */
export function memoMarkdownFile(m: Memo, provenance: string): string {
  return `${memoMarkdown(m)}\n\n${md(provenance)}\n`;
}

/**
 * The memo as an HTML section (styled by html.ts's STYLE, `.memo`): the answer,
 * the other options, what would change the answer, the notes, then the table –
 * compact, so the answer and its reasons fit a 1400 × 900 screen.
 */
export function memoHtml(m: Memo): string {
  const items = (lines: readonly string[]) => `<ul>\n${lines.map((l) => `<li>${h(l)}</li>`).join('\n')}\n</ul>`;
  return [
    '<section id="memo" class="memo" aria-labelledby="memo-heading">',
    `<h2 id="memo-heading">Decision memo · ${h(m.scenario)}</h2>`,
    `<p class="answer">${h(m.answer)}</p>`,
    ...(m.others.length > 0 ? [items(m.others)] : []),
    ...(m.changes.length > 0 ? [`<h3>${CHANGES}</h3>`, items(m.changes)] : []),
    ...m.notes.map((l) => `<p class="note">${h(l)}</p>`),
    ...(m.table ? [htmlTable(m.table, 'table-memo')] : []),
    '</section>',
  ].join('\n');
}

/** memo.html's policy: index.html's, less scripts and workers – the page has none. */
export const MEMO_PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** memo.html: the memo alone, one self-contained page with no script, opening offline. */
export function memoPage(m: Memo, provenance: string): string {
  return [
    ...pageHead(`${m.scenario} · decision memo · coordgap`, MEMO_PAGE_POLICY),
    '<body>',
    '<main>',
    memoHtml(m),
    `<footer>${h(provenance)}</footer>`,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
