/**
 * Text from the workspace (layer names, types, argument values) inserted into Markdown: it is
 * escaped so it shows as written and cannot add links, images, HTML or formatting (pure).
 */

/** Plain text: every Markdown punctuation character backslash-escaped, line breaks as spaces. */
export function escapeMarkdown(text: string): string {
  return oneLine(text).replace(/[\\`*_{}[\]()#+\-.!<>|~&"'=:$]/g, (c) => `\\${c}`);
}

/** An inline code span holding `text` exactly, whatever backticks it contains. */
export function codeSpan(text: string): string {
  const t = oneLine(text);
  const fence = '`'.repeat(longestRun(t, '`') + 1);
  // CommonMark strips one space from each end when both ends have one: pad to keep them.
  const pad = /^[` ]|[` ]$/.test(t) || t === '' ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
}

/** A fenced code block in `lang` holding `lines`; the fence is longer than any backtick run in them. */
export function codeBlock(lang: string, lines: string[]): string[] {
  const fence = '`'.repeat(Math.max(3, ...lines.map((l) => longestRun(l, '`') + 1)));
  return [fence + lang, ...lines, fence];
}

function oneLine(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ');
}

function longestRun(text: string, ch: string): number {
  let best = 0;
  let run = 0;
  for (const c of text) {
    run = c === ch ? run + 1 : 0;
    if (run > best) best = run;
  }
  return best;
}

/**
 * Text for a code lens title or a status bar item, where `$(name)` draws an icon: workspace text
 * (a model named `$(alert) …`) is shown as written (`\$(` is the escape these labels know).
 */
export function escapeIcons(text: string): string {
  return text.replace(/\$\(/g, '\\$(');
}
