/**
 * Escaping for the three places user-supplied text (scenario, variant, stage
 * and kernel names, descriptions, file paths) ends up: HTML text and
 * attributes, Markdown, and JSON inside an HTML <script> element.
 */

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe inside an HTML element or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML[c]);
}

/**
 * Text that Markdown (CommonMark/GFM) shows literally, also inside a table
 * cell: backslash before every punctuation character that could start
 * emphasis, code, a link, an HTML tag, a heading or a table column
 * (CommonMark 0.31 §2.4: any ASCII punctuation may be backslash-escaped), and
 * line breaks as spaces.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|~#!{}]/g, (c) => `\\${c}`).replace(/\r\n|\r|\n/g, ' ');
}

/**
 * JSON that can sit inside `<script type="application/json">`: `<`, `>`, `&`
 * and the two JavaScript line terminators as \u escapes, so no string in it
 * can close the element ("</script>") or open a comment ("<!--"). JSON.parse
 * reads it back unchanged.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A JavaScript file inlined into `<script>`: a "</script" or "<!--" inside a
 * string or regular expression would end the element early. Both rewrites
 * (`<\/script`, `<\!--`) mean the same characters in a JS string or regex.
 */
export function scriptText(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}
