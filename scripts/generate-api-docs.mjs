#!/usr/bin/env node
// `npm run docs:api`: writes docs/api.md from the OpenAPI document the server serves at
// /openapi.json, itself generated from the zod schemas the REST routes validate with.
// test/docs/api-docs.test.ts fails when the committed file differs from this output.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const { openApiDocument } = await import('../src/server/rest/openapi-document.ts');
const { openApiMarkdown } = await import('../src/server/rest/openapi-markdown.ts');

const target = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'api.md');
writeFileSync(target, openApiMarkdown(openApiDocument()));
console.log(`wrote ${target}`);
