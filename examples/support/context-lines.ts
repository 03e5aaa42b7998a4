// The tags of the block Foresight appends to the system prompt (src/tracker/context-block.ts).
const OPEN = '<foresight_context>';
const CLOSE = '</foresight_context>';

/**
 * The memories quoted in the Foresight context block of a system prompt (its "> " lines),
 * or none when no block was injected. Examples print them to show what the model saw.
 */
export function contextLines(systemPrompt: string): { section: string; text: string }[] {
  const start = systemPrompt.indexOf(OPEN);
  if (start === -1) return [];
  const end = systemPrompt.indexOf(CLOSE, start);
  const lines: { section: string; text: string }[] = [];
  let section = '';
  for (const line of systemPrompt.slice(start, end === -1 ? undefined : end).split('\n')) {
    if (line.startsWith('## ')) section = line.slice(3);
    else if (line.startsWith('> ')) lines.push({ section, text: line.slice(2) });
  }
  return lines;
}

/** The sections an agent acts on; the summary and past episodes are background. */
const USED_SECTIONS = new Set(['Preferences', 'Facts']);

/** What a scripted model answers: the request done, plus what the injected context told it. */
export function answerFrom(systemPrompt: string, done: string): string {
  const known = contextLines(systemPrompt)
    .filter((line) => USED_SECTIONS.has(line.section))
    .map((line) => line.text);
  return known.length === 0 ? done : `${done} I remembered: ${known.join('; ')}.`;
}

/** Prints the context a model call received, one line a memory. */
export function printContext(label: string, systemPrompt: string): void {
  const lines = contextLines(systemPrompt);
  if (lines.length === 0) console.log(`${label}: no context injected`);
  for (const line of lines)
    console.log(`${label}: context injected (${line.section}): ${line.text}`);
}
