// The schema of every custom request's and command's argument, checked once where the handler table
// dispatches (both `onRequest` and `workspace/executeCommand`), so no handler sees unchecked input.
import * as z from 'zod/mini';
import { schemaProblems } from '../engine/refs/secretRef';
import { providerSchema, secretRefSchema } from '../engine/refs/secretRefSchemas';
import { formatConfigPath } from '../engine/targets/targetRegistry';
import { recipeById } from '../engine/backends/wrappers';

const uri = z.string().check(z.minLength(1));
const consent = { allowExec: z.optional(z.boolean()), allowedCommands: z.optional(z.array(z.string())) };
const pathSegments = z.array(z.union([z.string(), z.number().check(z.int(), z.nonnegative())])).check(z.minLength(1));

// A cloud backend's options (region, vaultName, ...), as the client asked the person for them: each must be
// one of the recipe's options and match its pattern; other backends take none.
const moveParams = z
  .object({
    uri,
    version: z.number().check(z.int()),
    paths: z.array(pathSegments).check(z.minLength(1)),
    backendId: z.string().check(z.minLength(1)),
    names: z.optional(z.array(z.string())),
    options: z.optional(z.record(z.string(), z.string().check(z.maxLength(256)))),
  })
  .check(
    z.superRefine((p, ctx) => {
      const recipe = recipeById(p.backendId);
      for (const [key, value] of Object.entries(p.options ?? {})) {
        const option = recipe?.kind === 'cloud' ? recipe.options.find((o) => o.key === key) : undefined;
        if (!option)
          ctx.addIssue({ code: 'custom', path: ['options', key], message: `${p.backendId} takes no option "${key}"` });
        else if (!new RegExp(option.pattern).test(value))
          ctx.addIssue({
            code: 'custom',
            path: ['options', key],
            message: `option "${key}" (${option.label}) must match ${option.pattern}`,
          });
      }
    }),
  );

export const REQUEST_PARAMS = {
  resolve: z.object({ uri, ...consent }),
  execCommands: z.object({ uri, planUri: z.optional(uri) }),
  audit: z.object({ uri, ...consent }),
  applyPlan: z.object({
    uri,
    planUri: uri,
    dryRun: z.optional(z.boolean()),
    allowExec: z.optional(z.boolean()),
    force: z.optional(z.boolean()),
  }),
  reload: z.object({ uri, ...consent }),
  convert: z.object({
    uri,
    version: z.number().check(z.int()),
    path: pathSegments,
    ref: secretRefSchema,
    declare: z.optional(z.object({ alias: z.string(), config: providerSchema })),
  }),
  convertAll: z.object({ uri, version: z.number().check(z.int()) }),
  restrictFilePermissions: z.object({ uri, filePath: z.string().check(z.minLength(1)) }),
  configureFields: z.object({ uri }),
  configurePlan: z.object({
    uri,
    planUri: uri,
    providers: z.record(z.string(), providerSchema),
    mappings: z.array(z.object({ path: z.string().check(z.minLength(1)), ref: secretRefSchema })),
  }),
  gatewayStatus: z.object({ uri }),
  gatewayReload: z.object({ uri }),
  moveToBackend: moveParams,
  planCloudMove: moveParams,
} as const;

/** The argument as its schema types it, or the schema's first problem (a path and a message, never input text). */
export function checkParams<S extends z.ZodMiniType>(
  schema: S,
  value: unknown,
): { ok: true; params: z.infer<S> } | { ok: false; message: string } {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return { ok: true, params: parsed.data };
  const problem = schemaProblems(parsed.error)[0];
  return {
    ok: false,
    message: `invalid parameters: ${problem.path.length ? `${formatConfigPath(problem.path)}: ` : ''}${problem.message}`,
  };
}
