// Which backend an exec provider talks to, from its command alone (no file is read): a wrapper we
// generate is named `openclaw-<recipe>-resolver`, so its recipe gives the label and the docs page.
import * as path from 'node:path';
import { recipeById } from './wrappers';

export interface ExecProviderBackend {
  id: string;
  label: string;
  docs: string;
}

export function backendOfExecCommand(command: unknown): ExecProviderBackend | undefined {
  if (typeof command !== 'string') return undefined;
  const m = /^openclaw-([a-z0-9-]+)-resolver$/.exec(path.basename(command));
  const recipe = m ? recipeById(m[1]) : undefined;
  return recipe ? { id: recipe.id, label: recipe.label, docs: recipe.docs } : undefined;
}
