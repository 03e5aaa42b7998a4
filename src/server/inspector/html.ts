/**
 * HTML built with a tagged template that escapes every interpolated value, safe by
 * construction: only an `Html` value (another `html` template, or `raw` of a constant)
 * goes in unescaped. Arrays are joined. Small on purpose: the inspector's pages are a
 * handful of tables, and a template engine would be a second language to review.
 */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

type Value = Html | string | number | boolean | null | undefined | readonly Value[];

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);
}

function render(value: Value): string {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let text = strings[0] ?? '';
  for (let index = 0; index < values.length; index++) {
    text += render(values[index] as Value) + (strings[index + 1] ?? '');
  }
  return new Html(text);
}

/** Markup written in this code base, never data: for constants only. */
export function raw(text: string): Html {
  return new Html(text);
}
