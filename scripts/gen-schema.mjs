// Writes schemas/openclaw-secrets.schema.json from the compiled zod schemas (run after tsc).
import { createRequire } from 'node:module';
import { writeFileSync, mkdirSync } from 'node:fs';
const require = createRequire(import.meta.url);
const { renderOpenClawSecretsJsonSchema } = require('../out/server/src/engine/refs/jsonSchema.js');
mkdirSync('schemas', { recursive: true });
writeFileSync('schemas/openclaw-secrets.schema.json', renderOpenClawSecretsJsonSchema());
