/**
 * docs/api.md from the OpenAPI document: one section per route with its auth, its
 * parameters and body fields (type, required, rule) and its answers. Deterministic,
 * so a test can compare the committed file with what the code generates.
 */
export function openApiMarkdown(document: Record<string, unknown>): string {
  const info = document.info as { title: string; version: string; description: string };
  const paths = document.paths as Record<string, Record<string, Operation>>;
  const lines = [
    "<!-- generated from the routes' zod schemas by `npm run docs:api`; do not edit -->",
    '# REST API',
    '',
    `${info.description}`,
    '',
    'The machine-readable form is served by every server at `GET /openapi.json` (OpenAPI 3.1).',
    'Routes marked **key** need `Authorization: Bearer <API key>`. Every error answers',
    '`{"code", "detail", "field"?}`: 422 names the bad field and the rule, 400 a body that is',
    'not JSON, 401 a missing or revoked key, 429 a rate limit (with `Retry-After`).',
    '',
    '| method | path | key | what |',
    '| --- | --- | --- | --- |',
  ];
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(methods)) {
      lines.push(
        `| ${method.toUpperCase()} | [\`${path}\`](#${anchor(method, path)}) | ${op.security.length > 0 ? 'key' : ''} | ${cell(op.summary)} |`,
      );
    }
  }
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(methods)) {
      lines.push('', `## ${method.toUpperCase()} ${path}`, '', op.summary, '');
      if (op.parameters?.length) {
        lines.push(
          '| parameter | in | type | required | rule |',
          '| --- | --- | --- | --- | --- |',
        );
        for (const parameter of op.parameters)
          lines.push(
            `| \`${parameter.name}\` | ${parameter.in} | ${typeOf(parameter.schema)} | ${parameter.required ? 'yes' : ''} | ${cell(ruleOf(parameter.schema))} |`,
          );
        lines.push('');
      }
      const body = op.requestBody?.content['application/json']?.schema;
      if (body) {
        const required = new Set((body.required ?? []) as string[]);
        lines.push('| body field | type | required | rule |', '| --- | --- | --- | --- |');
        for (const [name, field] of Object.entries(
          (body.properties ?? {}) as Record<string, Schema>,
        ))
          lines.push(
            `| \`${name}\` | ${typeOf(field)} | ${required.has(name) ? 'yes' : ''} | ${cell(ruleOf(field))} |`,
          );
        lines.push('');
      }
      lines.push(
        `Answers: ${Object.entries(op.responses)
          .map(([status, response]) => `${status} ${response.description}`)
          .join('; ')}.`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

interface Schema {
  type?: string | string[];
  anyOf?: Schema[];
  items?: Schema;
  enum?: unknown[];
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  [key: string]: unknown;
}

interface Operation {
  summary: string;
  security: unknown[];
  parameters?: { name: string; in: string; required: boolean; schema: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { description: string }>;
}

/** GitHub's heading anchors: lower case, spaces to dashes, punctuation dropped. */
function anchor(method: string, path: string): string {
  return `${method} ${path}`
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, '')
    .replace(/ /g, '-');
}

function nonNull(schema: Schema): Schema[] {
  if (schema.anyOf) return schema.anyOf.filter((option) => option.type !== 'null');
  return [schema];
}

function typeOf(schema: Schema): string {
  const types = nonNull(schema).map((option) => {
    if (option.enum)
      return option.enum.map((value) => `\`${JSON.stringify(value)}\``).join(' \\| ');
    const type = Array.isArray(option.type)
      ? option.type.filter((name) => name !== 'null').join(' or ')
      : (option.type ?? 'any');
    if (type === 'array') return `array of ${option.items ? typeOf(option.items) : 'any'}`;
    return option.format ? `${type} (${option.format})` : type;
  });
  const nullable =
    schema.anyOf?.some((option) => option.type === 'null') ||
    (Array.isArray(schema.type) && schema.type.includes('null'));
  return `${types.join(' or ')}${nullable ? ', nullable' : ''}`;
}

function ruleOf(schema: Schema): string {
  const rules: string[] = [];
  for (const option of nonNull(schema)) {
    if (option.minLength !== undefined || option.maxLength !== undefined)
      rules.push(`${option.minLength ?? 0} to ${option.maxLength ?? '∞'} characters`);
    if (option.minimum !== undefined || option.maximum !== undefined)
      rules.push(`${option.minimum ?? '-∞'} to ${option.maximum ?? '∞'}`);
    if (option.minItems !== undefined || option.maxItems !== undefined)
      rules.push(`${option.minItems ?? 0} to ${option.maxItems ?? '∞'} items`);
    if (option.type === 'object' && option.properties)
      rules.push(
        `fields ${Object.keys(option.properties)
          .map((key) => `\`${key}\``)
          .join(', ')}`,
      );
  }
  return rules.join('; ');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
