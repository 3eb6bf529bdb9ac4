/**
 * Writes schema/schema.graphql from the resolver classes, or with `--check` fails when the
 * committed file differs from what the code produces.
 */
import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { createPubSub } from '@graphql-yoga/subscription';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { authChecker } from '../api/src/app/auth-checker.js';
import { RESOLVERS } from '../api/src/app/resolvers.js';
import { buildGraphQLSchema } from '../api/src/infra/graphql/build-schema.js';

const PATH = 'schema/schema.graphql';
const schema = await buildGraphQLSchema(RESOLVERS, createPubSub(), authChecker);
const text = `# Emitted from the code by \`npm run schema:emit\`; do not edit by hand.\n\n${printSchema(lexicographicSortSchema(schema))}\n`;

if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(PATH, 'utf8');
  } catch {
    // A missing file is simply stale.
  }
  if (committed !== text) {
    console.error(`${PATH} is stale: run \`npm run schema:emit\` and commit the result`);
    process.exit(1);
  }
  console.log(`${PATH} matches the code`);
} else {
  writeFileSync(PATH, text);
  console.log(`wrote ${PATH}`);
}
