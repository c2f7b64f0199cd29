/**
 * Escaping of untrusted text (implementation names, module paths, formulas, diagnoses, error
 * messages, environment values, commands) for each output format. Every string a report takes
 * from a record goes through one of these; none of them trusts its input to be well-formed
 * Unicode.
 */

/** Escapes text for HTML text and for double- or single-quoted attribute values. */
export function escapeHtml(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;',
  );
}

/**
 * Escapes text for XML 1.0 text and attribute values. Characters XML 1.0 cannot carry at all
 * (controls other than tab, newline and carriage return; lone surrogates; U+FFFE, U+FFFF) are
 * written as a visible `\uXXXX` instead, so the document stays well-formed; tab, newline and
 * carriage return are written as character references so that attribute values keep them.
 */
export function escapeXml(s: unknown): string {
  return String(s).replace(
    /[&<>"'\t\n\r]|[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    (c) => {
      switch (c) {
        case '&':
          return '&amp;';
        case '<':
          return '&lt;';
        case '>':
          return '&gt;';
        case '"':
          return '&quot;';
        case "'":
          return '&apos;';
        case '\t':
          return '&#9;';
        case '\n':
          return '&#10;';
        case '\r':
          return '&#13;';
        default:
          return `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
      }
    },
  );
}

/**
 * Like `escapeXml`, for element text: tab and newline stay literal (readable in the file), carriage return
 * becomes `&#13;`.
 */
export function escapeXmlText(s: unknown): string {
  return escapeXml(s).replace(/&#9;/g, '\t').replace(/&#10;/g, '\n');
}

/** Control characters and line breaks that would end a Markdown table row or inline span. */
const MD_BREAKS = /[\u0000-\u001F\u007F\u2028\u2029]+/g;

/**
 * Escapes text for Markdown (GitHub-flavoured, including table cells): every ASCII punctuation
 * character that Markdown or GFM could read as syntax is backslash-escaped (so `*`, `_`, `[`,
 * `|`, `` ` ``, `#`, `!`, `@`, … stay literal, and `|` cannot split a table cell); `<` and `&`
 * become entities so no HTML tag or entity is formed; line breaks and controls become one space.
 */
export function escapeMarkdown(s: unknown): string {
  return String(s)
    .replace(MD_BREAKS, ' ')
    .replace(/[\\`*_{}[\]()#+\-.!|~>"'$%=:;?@^]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;');
}

/**
 * A Markdown code span holding `s` literally (commands, inputs): fenced with more backticks than
 * any run inside it, line breaks as spaces; `|` is escaped as `\|`, which GFM reads as `|` inside
 * a table cell (and it is only used in tables here; outside, prefer `markdownCodeBlock`).
 */
export function markdownCode(s: unknown, inTable = true): string {
  let t = String(s).replace(MD_BREAKS, ' ');
  if (inTable) t = t.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(t.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  const pad = t.startsWith('`') || t.endsWith('`') || t.startsWith(' ') ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
}

/** A fenced Markdown code block holding `s` literally (a fence longer than any backtick run inside). */
export function markdownCodeBlock(s: unknown): string {
  const t = String(s).replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, ' ');
  const longest = Math.max(2, ...(t.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}\n${t}\n${fence}`;
}
